// libedit (BSD editline) for Swift. el_set, el_get and history are C variadic functions, which
// Swift cannot call, so each use is fixed here in a non-variadic inline wrapper.
#ifndef HPLAB_CLIBEDIT_SHIM_H
#define HPLAB_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <histedit.h>

typedef char *(*hl_prompt_fn)(EditLine *);
typedef unsigned char (*hl_key_fn)(EditLine *, int);

static inline int hl_set_prompt(EditLine *e, hl_prompt_fn f) { return el_set(e, EL_PROMPT, f); }
static inline int hl_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int hl_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int hl_set_history(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int hl_add_fn(EditLine *e, const char *name, const char *help, hl_key_fn f) {
  return el_set(e, EL_ADDFN, name, help, f);
}
static inline int hl_bind(EditLine *e, const char *key, const char *fn) {
  return el_set(e, EL_BIND, key, fn, (const char *)NULL);
}
static inline int hl_hist_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int hl_hist_setunique(History *h, int u) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, u); }
static inline int hl_hist_enter(History *h, const char *s) { HistEvent ev; return history(h, &ev, H_ENTER, s); }
static inline int hl_hist_load(History *h, const char *p) { HistEvent ev; return history(h, &ev, H_LOAD, p); }
static inline int hl_hist_save(History *h, const char *p) { HistEvent ev; return history(h, &ev, H_SAVE, p); }

#endif
