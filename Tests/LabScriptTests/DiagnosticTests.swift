import Foundation
import Testing

@testable import LabScript

/// Every kind of language error, with its exact message, location, underline and hint.
/// (Generated from the running interpreter once, then reviewed line by line.)
@Suite struct DiagnosticTests {
  static let cases: [(String, String)] = [
    (
      #"print @"#,
      #"""
      test.hpl:1:7: error: unexpected character '@'
      print @
            ^
      """# + "\n"
    ),
    (
      #"print "abc"#,
      #"""
      test.hpl:1:7: error: unterminated string
      print "abc
            ^~~~
      hint: close it with "
      """# + "\n"
    ),
    (
      #"print 'abc"#,
      #"""
      test.hpl:1:7: error: unterminated string
      print 'abc
            ^~~~
      hint: close it with '
      """# + "\n"
    ),
    (
      #"print "\q""#,
      #"""
      test.hpl:1:8: error: unknown escape sequence '\q'
      print "\q"
             ^~
      hint: the escapes are \n \t \r \0 \\ \" \' and \$
      """# + "\n"
    ),
    (
      #"print 0x"#,
      #"""
      test.hpl:1:7: error: hexadecimal literal '0x' has no digits
      print 0x
            ^~
      """# + "\n"
    ),
    (
      #"print 0xZZ"#,
      #"""
      test.hpl:1:7: error: invalid digit 'Z' in hexadecimal literal '0xZZ'
      print 0xZZ
            ^~~~
      """# + "\n"
    ),
    (
      #"print 12ab"#,
      #"""
      test.hpl:1:7: error: invalid digit 'a' in decimal literal '12ab'
      print 12ab
            ^~~~
      """# + "\n"
    ),
    (
      #"print 99999999999999999999"#,
      #"""
      test.hpl:1:7: error: integer literal '99999999999999999999' is too large
      print 99999999999999999999
            ^~~~~~~~~~~~~~~~~~~~
      hint: integers are 64-bit signed: the largest is 9223372036854775807
      """# + "\n"
    ),
    (
      #"print "${}""#,
      #"""
      test.hpl:1:8: error: empty '${}'
      print "${}"
             ^~~
      hint: put an expression inside, e.g. ${n + 1}
      """# + "\n"
    ),
    (
      #"print 1 ... 3"#,
      #"""
      test.hpl:1:9: error: '...' is not an operator
      print 1 ... 3
              ^~~
      hint: ranges are written a..b and include b
      """# + "\n"
    ),
    (
      #"print 1 +* 2"#,
      #"""
      test.hpl:1:10: error: expected an expression, found '*'
      print 1 +* 2
               ^
      """# + "\n"
    ),
    (
      #"print (1 + 2"#,
      #"""
      test.hpl:1:13: error: expected ')', found the end of the input
      print (1 + 2
                  ^
      """# + "\n"
    ),
    (
      #"let = 3"#,
      #"""
      test.hpl:1:5: error: expected a variable name after 'let', found '='
      let = 3
          ^
      """# + "\n"
    ),
    (
      #"let if = 3"#,
      #"""
      test.hpl:1:5: error: 'if' is a reserved word and cannot name a variable
      let if = 3
          ^~
      """# + "\n"
    ),
    (
      #"def if() { }"#,
      #"""
      test.hpl:1:5: error: 'if' is a reserved word and cannot name a command
      def if() { }
          ^~
      """# + "\n"
    ),
    (
      #"def f(a, a) { }"#,
      #"""
      test.hpl:1:10: error: parameter 'a' is listed twice
      def f(a, a) { }
               ^
      """# + "\n"
    ),
    (
      #"def f(a b) { }"#,
      #"""
      test.hpl:1:9: error: expected ',' or ')' in the parameter list, found 'b'
      def f(a b) { }
              ^
      """# + "\n"
    ),
    (
      #"}"#,
      #"""
      test.hpl:1:1: error: unexpected '}'
      }
      ^
      hint: there is no open block to close
      """# + "\n"
    ),
    (
      #"else { }"#,
      #"""
      test.hpl:1:1: error: 'else' without 'if'
      else { }
      ^~~~
      hint: write `} else {` on the line of the closing brace
      """# + "\n"
    ),
    (
      #"print 1 < 2 < 3"#,
      #"""
      test.hpl:1:13: error: comparisons cannot be chained
      print 1 < 2 < 3
                  ^
      hint: combine them with 'and': a < b and b < c
      """# + "\n"
    ),
    (
      #"let x = 1; x = 2"#,
      #"""
      test.hpl:1:14: error: expected the end of the statement, found '='
      let x = 1; x = 2
                   ^
      hint: to change a variable write `set x = ...`; to define one, `let x = ...`
      """# + "\n"
    ),
    (
      #"print [1, 2"#,
      #"""
      test.hpl:1:12: error: expected ',' or ']' in the list, found the end of the input
      print [1, 2
                 ^
      """# + "\n"
    ),
    (
      #"print f(1"#,
      #"""
      test.hpl:1:10: error: expected ',' or ')' in the argument list, found the end of the input
      print f(1
               ^
      """# + "\n"
    ),
    (
      #"print ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))"#,
      #"""
      test.hpl:1:107: error: nesting is deeper than 100 levels
      print ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
                                                                                                                ^
      hint: split the expression or block into smaller pieces
      """# + "\n"
    ),
    (
      #"echo a {"#,
      #"""
      test.hpl:1:8: error: unexpected '{' in command arguments
      echo a {
             ^
      hint: quote it ("{") to pass a brace as text
      """# + "\n"
    ),
    (
      #"echo > "#,
      #"""
      test.hpl:1:6: error: expected a file after '>'
      echo > 
           ^
      hint: e.g. `echo 1 > /sys/devices/system/cpu/cpu1/online`
      """# + "\n"
    ),
    (
      #"echo a > /x b"#,
      #"""
      test.hpl:1:13: error: unexpected 'b' after the redirection
      echo a > /x b
                  ^
      hint: the redirection must come last
      """# + "\n"
    ),
    (
      #"nosuch 1 2"#,
      #"""
      test.hpl:1:1: error: unknown command 'nosuch'
      nosuch 1 2
      ^~~~~~
      hint: `help` lists the commands
      """# + "\n"
    ),
    (
      #"print nosuch"#,
      #"""
      test.hpl:1:7: error: unknown variable 'nosuch'
      print nosuch
            ^~~~~~
      hint: define it with `let nosuch = ...`
      """# + "\n"
    ),
    (
      #"set nosuch = 1"#,
      #"""
      test.hpl:1:5: error: unknown variable 'nosuch'
      set nosuch = 1
          ^~~~~~
      hint: define it first with `let nosuch = ...`
      """# + "\n"
    ),
    (
      #"print weight"#,
      #"""
      test.hpl:1:7: error: 'weight' is a function: call it with parentheses
      print weight
            ^~~~~~
      hint: weight(...)
      """# + "\n"
    ),
    (
      #"print wieght(1)"#,
      #"""
      test.hpl:1:7: error: unknown function 'wieght'
      print wieght(1)
            ^~~~~~
      hint: did you mean 'weight'?
      """# + "\n"
    ),
    (
      #"print mask(1)"#,
      #"""
      test.hpl:1:7: error: 'mask' is a command, not a function
      print mask(1)
            ^~~~
      hint: commands are statements: write `mask ...` on its own line
      """# + "\n"
    ),
    (
      #"let m = 1; m 2"#,
      #"""
      test.hpl:1:12: error: 'm' is a variable, not a command
      let m = 1; m 2
                 ^
      hint: to show it, write it alone on a line or `print m`
      """# + "\n"
    ),
    (
      #"print 1 + "a""#,
      #"""
      test.hpl:1:7: error: cannot apply '+' to int and string
      print 1 + "a"
            ^~~~~~~
      hint: convert with str(), or write "${a}${b}"
      """# + "\n"
    ),
    (
      #"print "a" + 1"#,
      #"""
      test.hpl:1:7: error: cannot apply '+' to string and int
      print "a" + 1
            ^~~~~~~
      hint: convert with str(), or write "${a}${b}"
      """# + "\n"
    ),
    (
      #"print cpulist("1") + cpulist("2")"#,
      #"""
      test.hpl:1:7: error: cannot apply '+' to mask and mask
      print cpulist("1") + cpulist("2")
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~
      hint: the union of two masks is a | b
      """# + "\n"
    ),
    (
      #"print true & false"#,
      #"""
      test.hpl:1:7: error: cannot apply '&' to bool and bool
      print true & false
            ^~~~~~~~~~~~
      hint: for bools use 'and', 'or' and '!='
      """# + "\n"
    ),
    (
      #"print -"a""#,
      #"""
      test.hpl:1:7: error: cannot apply '-' to string
      print -"a"
            ^~~~
      """# + "\n"
    ),
    (
      #"print 1 < "a""#,
      #"""
      test.hpl:1:7: error: cannot apply '<' to int and string
      print 1 < "a"
            ^~~~~~~
      """# + "\n"
    ),
    (
      #"print 1 == "1""#,
      #"""
      test.hpl:1:7: error: cannot compare int with string
      print 1 == "1"
            ^~~~~~~~
      hint: convert one side first, e.g. int("3") or str(3)
      """# + "\n"
    ),
    (
      #"print [1][5]"#,
      #"""
      test.hpl:1:11: error: index 5 is out of range for a list of 1
      print [1][5]
                ^
      """# + "\n"
    ),
    (
      #"print "ab"[-3]"#,
      #"""
      test.hpl:1:12: error: index -3 is out of range for a string of 2
      print "ab"[-3]
                 ^~
      """# + "\n"
    ),
    (
      #"print 5[0]"#,
      #"""
      test.hpl:1:7: error: cannot index int
      print 5[0]
            ^
      """# + "\n"
    ),
    (
      #"print cpulist("1")[0]"#,
      #"""
      test.hpl:1:7: error: cannot index mask
      print cpulist("1")[0]
            ^~~~~~~~~~~~
      hint: test a CPU with `n in m`
      """# + "\n"
    ),
    (
      #"print 1 / 0"#,
      #"""
      test.hpl:1:11: error: division by zero
      print 1 / 0
                ^
      """# + "\n"
    ),
    (
      #"print 1 % 0"#,
      #"""
      test.hpl:1:11: error: remainder by zero
      print 1 % 0
                ^
      """# + "\n"
    ),
    (
      #"print 9223372036854775807 + 1"#,
      #"""
      test.hpl:1:7: error: integer overflow in 9223372036854775807 + 1
      print 9223372036854775807 + 1
            ^~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print -9223372036854775807 - 2"#,
      #"""
      test.hpl:1:7: error: integer overflow in -9223372036854775807 - 2
      print -9223372036854775807 - 2
            ^~~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print 3037000500 * 3037000500"#,
      #"""
      test.hpl:1:7: error: integer overflow in 3037000500 * 3037000500
      print 3037000500 * 3037000500
            ^~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print -9223372036854775808 / -1"#,
      #"""
      test.hpl:1:7: error: integer overflow in -9223372036854775808 / -1
      print -9223372036854775808 / -1
            ^~~~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print 1 << 64"#,
      #"""
      test.hpl:1:12: error: shift amount 64 is outside 0...63
      print 1 << 64
                 ^~
      """# + "\n"
    ),
    (
      #"if 1 { }"#,
      #"""
      test.hpl:1:4: error: the condition of 'if' must be a bool, not int
      if 1 { }
         ^
      hint: compare explicitly, e.g. `x != 0`
      """# + "\n"
    ),
    (
      #"while "x" { }"#,
      #"""
      test.hpl:1:7: error: the condition of 'while' must be a bool, not string
      while "x" { }
            ^~~
      """# + "\n"
    ),
    (
      #"print 1 and true"#,
      #"""
      test.hpl:1:7: error: 'and' needs bool operands, not int
      print 1 and true
            ^
      """# + "\n"
    ),
    (
      #"for x in 5 { }"#,
      #"""
      test.hpl:1:10: error: cannot loop over int
      for x in 5 { }
               ^
      hint: loop over a range (0..3), a list or a mask
      """# + "\n"
    ),
    (
      #"for x in "a".."b" { }"#,
      #"""
      test.hpl:1:10: error: a range's bounds must be ints, not string
      for x in "a".."b" { }
               ^~~
      """# + "\n"
    ),
    (
      #"break"#,
      #"""
      test.hpl:1:1: error: 'break' outside a loop
      break
      ^~~~~
      """# + "\n"
    ),
    (
      #"continue"#,
      #"""
      test.hpl:1:1: error: 'continue' outside a loop
      continue
      ^~~~~~~~
      """# + "\n"
    ),
    (
      #"return 1"#,
      #"""
      test.hpl:1:1: error: 'return' outside a command definition
      return 1
      ^~~~~~~~
      hint: use `exit` to stop a script
      """# + "\n"
    ),
    (
      #"def g() { break }; g()"#,
      #"""
      test.hpl:1:11: error: 'break' outside a loop
      def g() { break }; g()
                ^~~~~
      """# + "\n"
    ),
    (
      #"expect 1 == 2"#,
      #"""
      test.hpl:1:8: error: expectation failed: 1 == 2
      expect 1 == 2
             ^~~~~~
        left:  1
        right: 2
      """# + "\n"
    ),
    (
      #"expect cpulist("0-3") == "0-2""#,
      #"""
      test.hpl:1:8: error: expectation failed: cpulist("0-3") == "0-2"
      expect cpulist("0-3") == "0-2"
             ^~~~~~~~~~~~~~~~~~~~~~~
        left:  cpulist("0-3")
        right: "0-2"
      """# + "\n"
    ),
    (
      #"expect false"#,
      #"""
      test.hpl:1:8: error: expectation failed: false
      expect false
             ^~~~~
      """# + "\n"
    ),
    (
      #"expect 3"#,
      #"""
      test.hpl:1:8: error: expect needs a bool, not int
      expect 3
             ^
      hint: e.g. `expect weight(m) == 4`
      """# + "\n"
    ),
    (
      #"expect error { print 1 }"#,
      #"""
      test.hpl:1:1: error: expected an error, but the block succeeded
      expect error { print 1 }
      ^~~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"expect error "zzz" { print 1/0 }"#,
      #"""
      test.hpl:1:1: error: the block failed with a different error
      expect error "zzz" { print 1/0 }
      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        expected: an error containing "zzz"
        actual:   division by zero
      """# + "\n"
    ),
    (
      #"expect error 5 { print 1 }"#,
      #"""
      test.hpl:1:14: error: expected a message string or '{' after 'expect error', found number 5
      expect error 5 { print 1 }
                   ^
      hint: e.g. `expect error "-EINVAL" { ... }`
      """# + "\n"
    ),
    (
      #"def f() { }; f 1"#,
      #"""
      test.hpl:1:14: error: 'f' takes 0 arguments, got 1
      def f() { }; f 1
                   ^~~
      """# + "\n"
    ),
    (
      #"def f(a) { }; f"#,
      #"""
      test.hpl:1:15: error: 'f' is missing 'a'
      def f(a) { }; f
                    ^
      hint: it takes a
      """# + "\n"
    ),
    (
      #"def f(a) { }; f b=1"#,
      #"""
      test.hpl:1:17: error: 'f' has no parameter 'b'
      def f(a) { }; f b=1
                      ^
      hint: its parameters are: a
      """# + "\n"
    ),
    (
      #"def f(a) { }; f 1 a=2"#,
      #"""
      test.hpl:1:19: error: parameter 'a' of 'f' is given twice
      def f(a) { }; f 1 a=2
                        ^~~
      """# + "\n"
    ),
    (
      #"def print() { }"#,
      #"""
      test.hpl:1:1: error: cannot redefine the built-in command 'print'
      def print() { }
      ^~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"def weight() { }"#,
      #"""
      test.hpl:1:1: error: cannot redefine the built-in function 'weight'
      def weight() { }
      ^~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print weight(1, 2)"#,
      #"""
      test.hpl:1:7: error: weight() takes 1 argument, got 2
      print weight(1, 2)
            ^~~~~~~~~~~~
      hint: usage: weight(m: mask) -> int
      """# + "\n"
    ),
    (
      #"print weight()"#,
      #"""
      test.hpl:1:7: error: weight() takes 1 argument, got 0
      print weight()
            ^~~~~~~~
      hint: usage: weight(m: mask) -> int
      """# + "\n"
    ),
    (
      #"print weight(5)"#,
      #"""
      test.hpl:1:14: error: argument 1 (m) of weight() must be a mask, not int
      print weight(5)
                   ^
      """# + "\n"
    ),
    (
      #"print weight("0-600")"#,
      #"""
      test.hpl:1:14: error: argument 1 (m) of weight() is not a valid CPU list: -ERANGE: bit 600 does not fit in a mask of 512 bits
      print weight("0-600")
                   ^~~~~~~
      """# + "\n"
    ),
    (
      #"print cpulist("1-x")"#,
      #"""
      test.hpl:1:15: error: cpulist_parse("1-x") failed: -EINVAL: expected a number or 'N', found 'x'
      print cpulist("1-x")
                    ^~~~~
      """# + "\n"
    ),
    (
      #"print cpulist("600")"#,
      #"""
      test.hpl:1:15: error: cpulist_parse("600") failed: -ERANGE: bit 600 does not fit in a mask of 512 bits
      print cpulist("600")
                    ^~~~~
      """# + "\n"
    ),
    (
      #"print cpulist("1", 5000)"#,
      #"""
      test.hpl:1:20: error: nbits must be between 0 and 4096, not 5000
      print cpulist("1", 5000)
                         ^~~~
      """# + "\n"
    ),
    (
      #"print set_cpu(cpulist("1"), 600)"#,
      #"""
      test.hpl:1:29: error: CPU 600 is outside a mask of 512 CPUs (0-511)
      print set_cpu(cpulist("1"), 600)
                                  ^~~
      """# + "\n"
    ),
    (
      #"print next(cpulist("1"), 600)"#,
      #"""
      test.hpl:1:26: error: n must be between -1 and 511, not 600
      print next(cpulist("1"), 600)
                               ^~~
      """# + "\n"
    ),
    (
      #"print mask_and(cpulist("1"), cpulist("1", 8))"#,
      #"""
      test.hpl:1:7: error: masks of 512 and 8 CPUs cannot be combined
      print mask_and(cpulist("1"), cpulist("1", 8))
            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print hex("a")"#,
      #"""
      test.hpl:1:11: error: argument 1 (n) of hex() must be an int, not string
      print hex("a")
                ^~~
      """# + "\n"
    ),
    (
      #"print int("abc")"#,
      #"""
      test.hpl:1:11: error: 'abc' is not an integer
      print int("abc")
                ^~~~~
      """# + "\n"
    ),
    (
      #"print len(5)"#,
      #"""
      test.hpl:1:11: error: len() needs a string, list or mask, not int
      print len(5)
                ^
      """# + "\n"
    ),
    (
      #"print split("a", "")"#,
      #"""
      test.hpl:1:18: error: the separator must not be empty
      print split("a", "")
                       ^~
      """# + "\n"
    ),
    (
      #"print abs(-9223372036854775808)"#,
      #"""
      test.hpl:1:11: error: integer overflow in abs(-9223372036854775808)
      print abs(-9223372036854775808)
                ^~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"print join(5)"#,
      #"""
      test.hpl:1:12: error: argument 1 (list) of join() must be a list, not int
      print join(5)
                 ^
      """# + "\n"
    ),
    (
      #"mask"#,
      #"""
      test.hpl:1:1: error: 'mask' needs a sub-command: parse, format, and, or, xor, andnot, weight, subset
      mask
      ^~~~
      hint: `help mask` explains each
      """# + "\n"
    ),
    (
      #"mask frob"#,
      #"""
      test.hpl:1:6: error: 'mask' has no sub-command 'frob'
      mask frob
           ^~~~
      hint: its sub-commands are: parse, format, and, or, xor, andnot, weight, subset
      """# + "\n"
    ),
    (
      #"mask weight"#,
      #"""
      test.hpl:1:1: error: 'mask weight' is missing A
      mask weight
      ^~~~~~~~~~~
      hint: usage: mask weight A
      """# + "\n"
    ),
    (
      #"mask weight 0-3 extra"#,
      #"""
      test.hpl:1:17: error: too many arguments for 'mask weight'
      mask weight 0-3 extra
                      ^~~~~
      hint: usage: mask weight A
      """# + "\n"
    ),
    (
      #"mask weight 0-999"#,
      #"""
      test.hpl:1:13: error: '0-999' is not a valid CPU list: -ERANGE: bit 999 does not fit in a mask of 512 bits
      mask weight 0-999
                  ^
      hint: masks have NR_CPUS=512 bits; `config NR_CPUS=N` changes it
      """# + "\n"
    ),
    (
      #"mask weight 1-x"#,
      #"""
      test.hpl:1:15: error: '1-x' is not a valid CPU list: -EINVAL: expected a number or 'N', found 'x'
      mask weight 1-x
                    ^
      """# + "\n"
    ),
    (
      #"mask parse 1-x"#,
      #"""
      test.hpl:1:14: error: bitmap_parselist("1-x") returned -EINVAL (-22): expected a number or 'N', found 'x'
      mask parse 1-x
                   ^
      """# + "\n"
    ),
    (
      #"mask parse 1-2 nbits=5000"#,
      #"""
      test.hpl:1:16: error: nbits must be between 0 and 4096, not 5000
      mask parse 1-2 nbits=5000
                     ^~~~~~~~~~
      """# + "\n"
    ),
    (
      #"mask parse 1 nbit=2"#,
      #"""
      test.hpl:1:14: error: 'mask parse' has no argument 'nbit'
      mask parse 1 nbit=2
                   ^~~~
      hint: did you mean 'nbits'?
      """# + "\n"
    ),
    (
      #"mask format 1 as=hex"#,
      #"""
      test.hpl:1:15: error: 'as' must be one of list, map, not 'hex'
      mask format 1 as=hex
                    ^~~~~~
      """# + "\n"
    ),
    (
      #"mask and 0-3 $nosuch"#,
      #"""
      test.hpl:1:14: error: unknown variable 'nosuch'
      mask and 0-3 $nosuch
                   ^~~~~~~
      hint: define it with `let nosuch = ...`
      """# + "\n"
    ),
    (
      #"help nosuch"#,
      #"""
      test.hpl:1:6: error: no help for 'nosuch': it is not a command, function or keyword
      help nosuch
           ^~~~~~
      hint: `help` lists everything
      """# + "\n"
    ),
    (
      #"help mask frob"#,
      #"""
      test.hpl:1:11: error: 'mask' has no sub-command 'frob'
      help mask frob
                ^~~~
      hint: its sub-commands are: parse, format, and, or, xor, andnot, weight, subset
      """# + "\n"
    ),
    (
      #"help weight x"#,
      #"""
      test.hpl:1:13: error: only commands have sub-commands
      help weight x
                  ^
      """# + "\n"
    ),
    (
      #"config NR_CPUS=1"#,
      #"""
      test.hpl:1:8: error: NR_CPUS must be between 2 and 4096, not 1
      config NR_CPUS=1
             ^~~~~~~~~
      """# + "\n"
    ),
    (
      #"config NR_CPU=2"#,
      #"""
      test.hpl:1:8: error: unknown setting 'NR_CPU'
      config NR_CPU=2
             ^~~~~~~~
      hint: did you mean 'NR_CPUS'?
      """# + "\n"
    ),
    (
      #"config NR_CPUS=abc"#,
      #"""
      test.hpl:1:8: error: NR_CPUS must be an integer, not 'abc'
      config NR_CPUS=abc
             ^~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"config loop_limit=0"#,
      #"""
      test.hpl:1:8: error: loop_limit must be between 1 and 1000000000, not 0
      config loop_limit=0
             ^~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"exit 300"#,
      #"""
      test.hpl:1:6: error: the exit status must be between 0 and 255, not 300
      exit 300
           ^~~
      """# + "\n"
    ),
    (
      #"exit abc"#,
      #"""
      test.hpl:1:6: error: STATUS must be an integer, not 'abc'
      exit abc
           ^~~
      """# + "\n"
    ),
    (
      #"cat /nope"#,
      #"""
      test.hpl:1:1: error: /nope: No such file or directory
      cat /nope
      ^~~~~~~~~
      """# + "\n"
    ),
    (
      #"ls /nope"#,
      #"""
      test.hpl:1:1: error: /nope: No such file or directory
      ls /nope
      ^~~~~~~~
      """# + "\n"
    ),
    (
      #"echo hi > /sys/devices/system/cpu/cpu1/online"#,
      #"""
      test.hpl:1:9: error: /sys/devices/system/cpu/cpu1/online: No such file or directory
      echo hi > /sys/devices/system/cpu/cpu1/online
              ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"source /nonexistent.hpl"#,
      #"""
      test.hpl:1:8: error: cannot read '/nonexistent.hpl': No such file or directory
      source /nonexistent.hpl
             ^~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"echo --nope"#,
      #"""
      test.hpl:1:6: error: unknown option '--nope' for 'echo'
      echo --nope
           ^~~~~~
      hint: its options are: -n
      """# + "\n"
    ),
    (
      #"mask weight --nope"#,
      #"""
      test.hpl:1:13: error: unknown option '--nope' for 'mask weight'
      mask weight --nope
                  ^~~~~~
      hint: usage: mask weight A
      """# + "\n"
    ),
    (
      #"print -9223372036854775808 / -1"#,
      #"""
      test.hpl:1:7: error: integer overflow in -9223372036854775808 / -1
      print -9223372036854775808 / -1
            ^~~~~~~~~~~~~~~~~~~~~~~~~
      """# + "\n"
    ),
    (
      #"def g() { break }; g()"#,
      #"""
      test.hpl:1:11: error: 'break' outside a loop
      def g() { break }; g()
                ^~~~~
      """# + "\n"
    ),
    (
      #"print 0..2000000"#,
      #"""
      test.hpl:1:7: error: the range 0..2000000 has more than 1000000 elements
      print 0..2000000
            ^~~~~~~~~~
      hint: loop over it directly with `for i in 0..2000000`
      """# + "\n"
    ),
    (
      #"if true {"#,
      #"""
      test.hpl:1:10: error: expected '}' to close the block, found the end of the input
      if true {
               ^
      """# + "\n"
    ),
    (
      #"print int([1])"#,
      #"""
      test.hpl:1:11: error: int() cannot convert list
      print int([1])
                ^~~
      """# + "\n"
    ),
    (
      #"print range(0, 2000000)"#,
      #"""
      test.hpl:1:16: error: range(0, 2000000) would hold more than 1000000 ints
      print range(0, 2000000)
                     ^~~~~~~
      """# + "\n"
    ),
    (
      #"let x = mask"#,
      #"""
      test.hpl:1:9: error: 'mask' is a command, not a variable
      let x = mask
              ^~~~
      hint: `help mask` shows how to use it
      """# + "\n"
    ),
    (
      #"let x = -9223372036854775807 - 1; print -x"#,
      #"""
      test.hpl:1:41: error: integer overflow in -(-9223372036854775808)
      let x = -9223372036854775807 - 1; print -x
                                              ^~
      """# + "\n"
    ),
    (
      #"print 1 in 5"#,
      #"""
      test.hpl:1:7: error: cannot apply 'in' to int and int
      print 1 in 5
            ^~~~~~
      hint: `x in y` tests a CPU in a mask, an element in a list, or text in a string
      """# + "\n"
    ),
    (
      #"def f() { print 1 }; f > out.txt"#,
      #"""
      test.hpl:1:24: error: the output of 'f' cannot be redirected
      def f() { print 1 }; f > out.txt
                             ^~~~~~~~~
      """# + "\n"
    ),
    (
      #"print "${1 + 2""#,
      #"""
      test.hpl:1:8: error: unterminated '${'
      print "${1 + 2"
             ^~~~~~~~
      hint: close it with }
      """# + "\n"
    ),
    (
      #"mask weight (1 + 2"#,
      #"""
      test.hpl:1:13: error: unclosed '('
      mask weight (1 + 2
                  ^~~~~~
      hint: close it with )
      """# + "\n"
    ),
    (
      #"mask weight ("0-3)"#,
      #"""
      test.hpl:1:13: error: unclosed '('
      mask weight ("0-3)
                  ^~~~~~
      hint: close it with )
      """# + "\n"
    ),
    (
      #"in 1"#,
      #"""
      test.hpl:1:1: error: 'in' is only used in `for NAME in ...` and `x in list`
      in 1
      ^~
      """# + "\n"
    ),
    (
      #"def 5() { }"#,
      #"""
      test.hpl:1:5: error: expected a command name after 'def', found number 5
      def 5() { }
          ^
      """# + "\n"
    ),
    (
      #"def f(5) { }"#,
      #"""
      test.hpl:1:7: error: expected a parameter name, found number 5
      def f(5) { }
            ^
      """# + "\n"
    ),
    (
      #"print "${1 2}""#,
      #"""
      test.hpl:1:12: error: unexpected number 2 in the embedded expression
      print "${1 2}"
                 ^
      """# + "\n"
    ),
    (
      #"print 1 +"#,
      #"""
      test.hpl:1:9: error: expected an expression after '+'
      print 1 +
              ^
      """# + "\n"
    ),
    (
      #"print [1, 2][0"#,
      #"""
      test.hpl:1:15: error: expected ']' to close the index, found the end of the input
      print [1, 2][0
                    ^
      """# + "\n"
    ),
    (
      #"print if"#,
      #"""
      test.hpl:1:7: error: expected an expression, found the keyword 'if'
      print if
            ^~
      """# + "\n"
    ),
    (
      #"mask weight ()"#,
      #"""
      test.hpl:1:14: error: expected an expression inside the parentheses
      mask weight ()
                   ^
      """# + "\n"
    ),
    (
      #"print [1, 2][true]"#,
      #"""
      test.hpl:1:14: error: an index must be an int, not bool
      print [1, 2][true]
                   ^~~~
      """# + "\n"
    ),
    (
      "config loop_limit=10\nwhile true { }",
      #"""
      test.hpl:2:1: error: the loop did not finish after 10 iterations
      while true { }
      ^~~~~~~~~~~~~~
      hint: an endless loop? `config loop_limit=N` raises the limit
      """# + "\n"
    ),
    (
      "config loop_limit=10\nfor a in 0..9 {\n  for b in 0..9 { }\n}",
      #"""
      test.hpl:2:1: error: the loop did not finish within 10 loop iterations and calls
      for a in 0..9 {
      ^~~~~~~~~~~~~~~
      hint: loops inside loops, or a command that calls itself? `config loop_limit=N` raises the limit
      """# + "\n"
    ),
    (
      "config loop_limit=100000\ndef f() { f }\nf",
      #"""
      test.hpl:2:11: error: more than 200 nested calls of user commands
      def f() { f }
                ^
      hint: does 'f' call itself without stopping?
      """# + "\n"
    ),
  ]

  @Test(arguments: cases) func rendersExactly(_ input: String, _ expected: String) {
    let (_, error) = run(input)
    #expect(error == expected)
  }

  /// An error that needs more than text in a fresh session: a Ctrl-C, a file on disk, or a
  /// Session API call that `hplab batch` makes.
  struct Prepared: Sendable, CustomTestStringConvertible {
    let name: String
    let render: @Sendable () -> String?
    let expected: String
    var testDescription: String { name }
  }

  static let sourceDirectory = "/tmp/hplab-diagnostics-\(getpid())"

  static let preparedCases: [Prepared] = [
    Prepared(
      name: "Ctrl-C during a loop",
      render: {
        let s = Session()
        s.interruptCheck = { true }
        return run("while true { }", in: s).error
      },
      expected: #"""
        test.hpl:1:1: error: interrupted
        while true { }
        ^~~~~~~~~~~~~~

        """#),
    Prepared(
      name: "a file that sources itself",
      render: {
        mkdir(sourceDirectory, 0o755)
        defer {
          unlink(sourceDirectory + "/self.hpl")
          rmdir(sourceDirectory)
        }
        do { try write("source self.hpl\n", to: sourceDirectory + "/self.hpl") } catch { return "\(error)" }
        return run("source \(sourceDirectory)/self.hpl").error
      },
      expected: """
        \(sourceDirectory)/self.hpl:1:8: error: source is nested more than 16 deep
        source self.hpl
               ^~~~~~~~
        hint: does 'self.hpl' source itself?

        """),
    Prepared(
      name: "hplab batch reading the emits of a script",
      render: {
        do throws(LabScriptError) {
          _ = try Session().emitDeclarations(in: "let x = \"a\"\nemit $x 1", name: "test.hpl")
          return nil
        } catch {
          return error.render(color: false)
        }
      },
      expected: #"""
        test.hpl:2:6: error: emit's NAME must be a plain word here
        emit $x 1
             ^~
        hint: write the name itself (letters, digits and _), e.g. `emit hotadd_ns $t`, so that the batch knows its columns before the first run

        """#),
    // The parser makes only the operators the evaluator knows; a Swift caller can pass any.
    Prepared(
      name: "an operator the evaluator does not know",
      render: {
        let file = SourceFile(name: "test.hpl", text: "2 ** 3")
        let whole = SourceSpan(file: file, start: 0, end: 6)
        do {
          _ = try Session().binary(
            "**", .int(2), .int(3), span: whole, leftSpan: SourceSpan(file: file, start: 0, end: 1),
            rightSpan: SourceSpan(file: file, start: 5, end: 6))
          return nil
        } catch {
          return (error as? LabScriptError)?.render(color: false)
        }
      },
      expected: #"""
        test.hpl:1:1: error: unknown operator '**'
        2 ** 3
        ^~~~~~

        """#),
  ]

  @Test(arguments: preparedCases) func preparedRendersExactly(_ c: Prepared) {
    #expect(c.render() == c.expected)
  }
}
