import Testing

/// Bad input everywhere (issue 9): 182 inputs across the command language, `-smp`, device_add and
/// device_del, sysfs, lesson files, ACPI table files and guest programs. Each must fail with
/// exactly the error below (file:line:column, the underlined text, the hint) and leave the world
/// as it was: session variables and settings, the VMM's slots and hotplug registers, the
/// kernel's masks and CPU states, the sysfs files, and every file in the row's directory
/// (`$DIR`). The inputs run in a fresh lab each (see BadInputHarness for the starting states).
@Suite struct BadInputTests {
  static let rows: [BadInput] = [
    // MARK: command
    BadInput(
      category: .command, input: "mask parse 0-64",
      error: #"""
        t.hpl:1:12: error: bitmap_parselist("0-64") returned -ERANGE (-34): bit 64 does not fit in a mask of 64 bits
        mask parse 0-64
                   ^

        """#),
    BadInput(
      category: .command, input: "mask parse 0-",
      error: #"""
        t.hpl:1:14: error: bitmap_parselist("0-") returned -EINVAL (-22): expected a number or 'N', found the end of the list
        mask parse 0-
                     ^

        """#),
    BadInput(
      category: .command, input: "mask parse x",
      error: #"""
        t.hpl:1:12: error: bitmap_parselist("x") returned -EINVAL (-22): expected a number or 'N', found 'x'
        mask parse x
                   ^

        """#),
    BadInput(
      category: .command, input: "mask parse 5-3",
      error: #"""
        t.hpl:1:12: error: bitmap_parselist("5-3") returned -EINVAL (-22): range start 5 is above its end 3
        mask parse 5-3
                   ^

        """#),
    BadInput(
      category: .command, input: "mask format 0-3 as=binary",
      error: #"""
        t.hpl:1:17: error: 'as' must be one of list, map, not 'binary'
        mask format 0-3 as=binary
                        ^~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "mask",
      error: #"""
        t.hpl:1:1: error: 'mask' needs a sub-command: parse, format, and, or, xor, andnot, weight, subset
        mask
        ^~~~
        hint: `help mask` explains each

        """#),
    BadInput(
      category: .command, input: "config NR_CPUS=1",
      error: #"""
        t.hpl:1:8: error: NR_CPUS must be between 2 and 4096, not 1
        config NR_CPUS=1
               ^~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "config NR_CPUS=5000",
      error: #"""
        t.hpl:1:8: error: NR_CPUS must be between 2 and 4096, not 5000
        config NR_CPUS=5000
               ^~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "config loop_limit=0",
      error: #"""
        t.hpl:1:8: error: loop_limit must be between 1 and 1000000000, not 0
        config loop_limit=0
               ^~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "config bogus=1",
      error: #"""
        t.hpl:1:8: error: unknown setting 'bogus'
        config bogus=1
               ^~~~~~~
        hint: `config` lists the settings

        """#),
    BadInput(
      category: .command, input: "config NR_CPUS=abc",
      error: #"""
        t.hpl:1:8: error: NR_CPUS must be an integer, not 'abc'
        config NR_CPUS=abc
               ^~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "help nosuchcommand",
      error: #"""
        t.hpl:1:6: error: no help for 'nosuchcommand': it is not a command, function or keyword
        help nosuchcommand
             ^~~~~~~~~~~~~
        hint: `help` lists everything

        """#),
    BadInput(
      category: .command, input: "cat /nonexistent",
      error: #"""
        t.hpl:1:1: error: /nonexistent: No such file or directory
        cat /nonexistent
        ^~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "ls /nope",
      error: #"""
        t.hpl:1:1: error: /nope: No such file or directory
        ls /nope
        ^~~~~~~~

        """#),
    BadInput(
      category: .command, input: "echo 1 > /",
      error: #"""
        t.hpl:1:8: error: /: Is a directory
        echo 1 > /
               ^~~

        """#),
    BadInput(
      category: .command, input: "print cpulist(\"0-\")",
      error: #"""
        t.hpl:1:15: error: cpulist_parse("0-") failed: -EINVAL: expected a number or 'N', found the end of the list
        print cpulist("0-")
                      ^~~~

        """#),
    BadInput(
      category: .command, input: "print cpumap_parse(\"zz\")",
      error: #"""
        t.hpl:1:20: error: cpumask_parse("zz") failed: -EINVAL: 'z' is not a hex digit
        print cpumap_parse("zz")
                           ^~~~

        """#),
    BadInput(
      category: .command, input: "print weight(1)",
      error: #"""
        t.hpl:1:14: error: argument 1 (m) of weight() must be a mask, not int
        print weight(1)
                     ^

        """#),
    BadInput(
      category: .command, input: "print first()",
      error: #"""
        t.hpl:1:7: error: first() takes 1 argument, got 0
        print first()
              ^~~~~~~
        hint: usage: first(m: mask) -> int

        """#),
    BadInput(
      category: .command, input: "nosuchcommand",
      error: #"""
        t.hpl:1:1: error: unknown variable 'nosuchcommand'
        nosuchcommand
        ^~~~~~~~~~~~~
        hint: define it with `let nosuchcommand = ...`

        """#),
    BadInput(
      category: .command, input: "let = 1",
      error: #"""
        t.hpl:1:5: error: expected a variable name after 'let', found '='
        let = 1
            ^

        """#),
    BadInput(
      category: .command, input: "set undefined = 1",
      error: #"""
        t.hpl:1:5: error: unknown variable 'undefined'
        set undefined = 1
            ^~~~~~~~~
        hint: define it first with `let undefined = ...`

        """#),
    BadInput(
      category: .command, input: "print 1/0",
      error: #"""
        t.hpl:1:9: error: division by zero
        print 1/0
                ^

        """#),
    BadInput(
      category: .command, input: "print [1][5]",
      error: #"""
        t.hpl:1:11: error: index 5 is out of range for a list of 1
        print [1][5]
                  ^

        """#),
    BadInput(
      category: .command, input: "print \"a\" - 1",
      error: #"""
        t.hpl:1:7: error: cannot apply '-' to string and int
        print "a" - 1
              ^~~~~~~

        """#),
    BadInput(
      category: .command, input: "source /nonexistent.hpl",
      error: #"""
        t.hpl:1:8: error: cannot read '/nonexistent.hpl': No such file or directory
        source /nonexistent.hpl
               ^~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "source /",
      error: #"""
        t.hpl:1:8: error: cannot read '/': Is a directory
        source /
               ^

        """#),
    BadInput(
      category: .command, input: "print int(\"x\")",
      error: #"""
        t.hpl:1:11: error: 'x' is not an integer
        print int("x")
                  ^~~

        """#),
    BadInput(
      category: .command, input: "print keep[\"a\"]",
      error: #"""
        t.hpl:1:12: error: an index must be an int, not string
        print keep["a"]
                   ^~~

        """#),
    BadInput(
      category: .command, input: "let keep = cpulist(\"0-3\") | cpulist(\"0\", 8)",
      error: #"""
        t.hpl:1:12: error: masks of 64 and 8 CPUs cannot be combined
        let keep = cpulist("0-3") | cpulist("0", 8)
                   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: make both with the same NR_CPUS (or the same nbits argument)

        """#),
    BadInput(
      category: .command, input: "for i in 5 { }",
      error: #"""
        t.hpl:1:10: error: cannot loop over int
        for i in 5 { }
                 ^
        hint: loop over a range (0..3), a list or a mask

        """#),
    BadInput(
      category: .command, input: "if 1 { }",
      error: #"""
        t.hpl:1:4: error: the condition of 'if' must be a bool, not int
        if 1 { }
           ^
        hint: compare explicitly, e.g. `x != 0`

        """#),
    BadInput(
      category: .command, input: "def print() { }",
      error: #"""
        t.hpl:1:1: error: cannot redefine the built-in command 'print'
        def print() { }
        ^~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "expect 1 == 2",
      error: #"""
        t.hpl:1:8: error: expectation failed: 1 == 2
        expect 1 == 2
               ^~~~~~
          left:  1
          right: 2

        """#),
    BadInput(
      category: .command, input: "expect error { print 1 }",
      error: #"""
        t.hpl:1:1: error: expected an error, but the block succeeded
        expect error { print 1 }
        ^~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "exit \"x\"",
      error: #"""
        t.hpl:1:6: error: STATUS must be an integer, not 'x'
        exit "x"
             ^~~

        """#),
    BadInput(
      category: .command, input: "print 9223372036854775807 + 1",
      error: #"""
        t.hpl:1:7: error: integer overflow in 9223372036854775807 + 1
        print 9223372036854775807 + 1
              ^~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "print 1 << 64",
      error: #"""
        t.hpl:1:12: error: shift amount 64 is outside 0...63
        print 1 << 64
                   ^~

        """#),
    BadInput(
      category: .command, input: "print (",
      error: #"""
        t.hpl:1:8: error: expected an expression, found the end of the input
        print (
               ^

        """#),
    BadInput(
      category: .command, input: "}",
      error: #"""
        t.hpl:1:1: error: unexpected '}'
        }
        ^
        hint: there is no open block to close

        """#),
    BadInput(
      category: .command, input: "print \"unterminated",
      error: #"""
        t.hpl:1:7: error: unterminated string
        print "unterminated
              ^~~~~~~~~~~~~
        hint: close it with "

        """#),
    BadInput(
      category: .command, input: "let x = [1,",
      error: #"""
        t.hpl:1:12: error: expected an expression, found the end of the input
        let x = [1,
                   ^

        """#),
    BadInput(
      category: .command, input: "echo \"${nope}\"",
      error: #"""
        t.hpl:1:9: error: unknown variable 'nope'
        echo "${nope}"
                ^~~~
        hint: define it with `let nope = ...`

        """#),
    BadInput(
      category: .command, input: "cat",
      error: #"""
        t.hpl:1:1: error: 'cat' is missing PATH
        cat
        ^~~
        hint: usage: cat PATH...

        """#),
    BadInput(
      category: .command, input: "source /dev/zero",
      error: #"""
        t.hpl:1:8: error: cannot read '/dev/zero': it is larger than 64 MiB
        source /dev/zero
               ^~~~~~~~~

        """#),
    BadInput(
      category: .command, input: "cat /",
      error: #"""
        t.hpl:1:1: error: /: Is a directory
        cat /
        ^~~~~

        """#),
    BadInput(
      category: .command, input: "source $DIR",
      error: #"""
        t.hpl:1:8: error: cannot read '$DIR': Is a directory
        source $DIR
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    // MARK: smp
    BadInput(
      category: .smp, input: "machine virt -smp 0",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: CPU topology parameters must be greater than zero
        machine virt -smp 0
                     ^~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 4,maxcpus=2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets (1) * clusters (1) * cores (2) * threads (1) == maxcpus (2) < smp_cpus (4)
        machine virt -smp 4,maxcpus=2
                     ^~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp cpus=1,sockets=0",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: CPU topology parameters must be greater than zero
        machine virt -smp cpus=1,sockets=0
                     ^~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=513",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid SMP CPUs 513. The max CPUs supported by machine 'virt-9.1' is 512
        machine virt -smp 1,maxcpus=513
                     ^~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp abc",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp abc: Parameter 'cpus' expects a number
        machine virt -smp abc
                     ^~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,foo=2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,foo=2: Invalid parameter 'foo'
        machine virt -smp 1,foo=2
                     ^~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=4,cores=3",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (1) * clusters (1) * cores (3) * threads (1) != maxcpus (4)
        machine virt -smp 1,maxcpus=4,cores=3
                     ^~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,dies=2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: dies > 1 not supported by this machine's CPU topology
        machine virt -smp 1,dies=2
                     ^~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=4,threads=3,cores=1",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (1) * clusters (1) * cores (1) * threads (3) != maxcpus (4)
        machine virt -smp 1,maxcpus=4,threads=3,cores=1
                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,2: Invalid parameter '2'
        machine virt -smp 1,2
                     ^~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,maxcpus=: Parameter 'maxcpus' expects a number
        machine virt -smp 1,maxcpus=
                     ^~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=0x",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,maxcpus=0x: Parameter 'maxcpus' expects a number
        machine virt -smp 1,maxcpus=0x
                     ^~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=99999999999999999999",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,maxcpus=99999999999999999999: Value '99999999999999999999' is too large for parameter 'maxcpus'
        machine virt -smp 1,maxcpus=99999999999999999999
                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=-4",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,maxcpus=-4: Parameter 'maxcpus' expects a number
        machine virt -smp 1,maxcpus=-4
                     ^~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp ,",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp ,: Parameter 'cpus' expects a number
        machine virt -smp ,
                     ^~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,,maxcpus=2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 1,,maxcpus=2: Invalid parameter ''
        machine virt -smp 1,,maxcpus=2
                     ^~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 4,sockets=4294967295,clusters=4294967295,threads=4294967295",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (4294967295) * clusters (4294967295) * cores (0) * threads (4294967295) != maxcpus (4)
        machine virt -smp 4,sockets=4294967295,clusters=4294967295,threads=4294967295
                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 08",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: -smp 08: Parameter 'cpus' expects a number
        machine virt -smp 08
                     ^~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,modules=2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: modules > 1 not supported by this machine's CPU topology
        machine virt -smp 1,modules=2
                     ^~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 2,sockets=3",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets (3) * clusters (1) * cores (0) * threads (1) != maxcpus (2)
        machine virt -smp 2,sockets=3
                     ^~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 1,maxcpus=4,books=2",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: books > 1 not supported by this machine's CPU topology
        machine virt -smp 1,maxcpus=4,books=2
                     ^~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .smp, input: "machine virt -smp 600",
      error: #"""
        t.hpl:1:14: error: qemu-system-aarch64: Invalid SMP CPUs 600. The max CPUs supported by machine 'virt-9.1' is 512
        machine virt -smp 600
                     ^~~~~~~~

        """#),
    // MARK: vmm
    BadInput(
      category: .vmm, input: "device_add",
      error: #"""
        t.hpl:1:1: error: Parameter 'driver' is missing
        device_add
        ^~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add foo-cpu",
      error: #"""
        t.hpl:1:1: error: 'foo-cpu' is not a valid device model name
        device_add foo-cpu
        ^~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=9",
      error: #"""
        t.hpl:1:1: error: Invalid core-id 9 specified, correct range 0:3
        device_add host-arm-cpu,core-id=9
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=-1",
      error: #"""
        t.hpl:1:1: error: Invalid core-id -1 specified, correct range 0:3
        device_add host-arm-cpu,core-id=-1
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=abc",
      error: #"""
        t.hpl:1:1: error: Parameter 'core-id' expects int32
        device_add host-arm-cpu,core-id=abc
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,bogus=1",
      error: #"""
        t.hpl:1:1: error: Property 'host-arm-cpu.bogus' not found
        device_add host-arm-cpu,bogus=1
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=3,id=cpu2",
      error: #"""
        t.hpl:1:1: error: Duplicate device ID 'cpu2'
        device_add host-arm-cpu,core-id=3,id=cpu2
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=0",
      error: #"""
        t.hpl:1:1: error: cpu(id0=0:0:0:0) with arch-id 0 exist
        device_add host-arm-cpu,core-id=0
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=2",
      error: #"""
        t.hpl:1:1: error: cpu(id2=0:0:2:0) with arch-id 2 exist
        device_add host-arm-cpu,core-id=2
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add max-arm-cpu,core-id=3",
      error: #"""
        t.hpl:1:1: error: Invalid CPU type, expected cpu type: 'host-arm-cpu'
        device_add max-arm-cpu,core-id=3
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,socket-id=1,core-id=3",
      error: #"""
        t.hpl:1:1: error: Invalid socket-id 1 specified, correct range 0:0
        device_add host-arm-cpu,socket-id=1,core-id=3
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,thread-id=1,core-id=3",
      error: #"""
        t.hpl:1:1: error: Invalid thread-id 1 specified, correct range 0:0
        device_add host-arm-cpu,thread-id=1,core-id=3
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,cluster-id=2,core-id=3",
      error: #"""
        t.hpl:1:1: error: Invalid cluster-id 2 specified, correct range 0:0
        device_add host-arm-cpu,cluster-id=2,core-id=3
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=4294967296",
      error: #"""
        t.hpl:1:1: error: Parameter 'core-id' expects int32
        device_add host-arm-cpu,core-id=4294967296
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=0x10",
      error: #"""
        t.hpl:1:1: error: Invalid core-id 16 specified, correct range 0:3
        device_add host-arm-cpu,core-id=0x10
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=",
      error: #"""
        t.hpl:1:1: error: Parameter 'core-id' expects int32
        device_add host-arm-cpu,core-id=
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add virtio-net-pci",
      error: #"""
        t.hpl:1:1: error: 'virtio-net-pci' is not a valid device model name
        device_add virtio-net-pci
        ^~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_del cpu0",
      error: #"""
        t.hpl:1:1: error: Device 'cpu0' not found
        device_del cpu0
        ^~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_del nosuch",
      error: #"""
        t.hpl:1:1: error: Device 'nosuch' not found
        device_del nosuch
        ^~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_del",
      error: #"""
        t.hpl:1:1: error: 'device_del' is missing ID
        device_del
        ^~~~~~~~~~
        hint: usage: device_del ID

        """#),
    BadInput(
      category: .vmm, input: "device_del /machine/unattached/device[0]",
      error: #"""
        t.hpl:1:1: error: Hot-unplug of cold-booted CPU not supported!
        device_del /machine/unattached/device[0]
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_del /machine/peripheral/nosuch",
      error: #"""
        t.hpl:1:1: error: Device '/machine/peripheral/nosuch' not found
        device_del /machine/peripheral/nosuch
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu core-id=1",
      error: #"""
        t.hpl:1:1: error: cpu(id1=0:0:1:0) with arch-id 1 exist
        device_add host-arm-cpu core-id=1
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=1,id=cpu2",
      error: #"""
        t.hpl:1:1: error: Duplicate device ID 'cpu2'
        device_add host-arm-cpu,core-id=1,id=cpu2
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .vmm, input: "device_add host-arm-cpu,core-id=3,id=bad,id=cpu2",
      error: #"""
        t.hpl:1:1: error: Duplicate device ID 'cpu2'
        device_add host-arm-cpu,core-id=3,id=bad,id=cpu2
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    // MARK: sysfs
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system/cpu/online",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu/online: Permission denied
        echo 1 > /sys/devices/system/cpu/online
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 0-3 > /sys/devices/system/cpu/possible",
      error: #"""
        t.hpl:1:10: error: /sys/devices/system/cpu/possible: Permission denied
        echo 0-3 > /sys/devices/system/cpu/possible
                 ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system/cpu/cpu3/online",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu/cpu3/online: No such file or directory
        echo 1 > /sys/devices/system/cpu/cpu3/online
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system/cpu/cpu9/online",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu/cpu9/online: No such file or directory
        echo 1 > /sys/devices/system/cpu/cpu9/online
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system/cpu",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu: Is a directory
        echo 1 > /sys/devices/system/cpu
               ^~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/nope",
      error: #"""
        t.hpl:1:8: error: /sys/nope: No such file or directory
        echo 1 > /sys/nope
               ^~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 2 > /sys/devices/system/cpu/cpu2/online\nsettle",
      error: #"""
        t.hpl:2:1: error: write error: /sys/devices/system/cpu/cpu2/online: Invalid argument
        settle
        ^~~~~~
        hint: the kernel returned -EINVAL (-22)

        """#),
    BadInput(
      category: .sysfs, input: "echo x > /sys/devices/system/cpu/cpu2/online\nsettle",
      error: #"""
        t.hpl:2:1: error: write error: /sys/devices/system/cpu/cpu2/online: Invalid argument
        settle
        ^~~~~~
        hint: the kernel returned -EINVAL (-22)

        """#),
    BadInput(
      category: .sysfs, input: "echo > /sys/devices/system/cpu/cpu2/online\nsettle",
      error: #"""
        t.hpl:2:1: error: write error: /sys/devices/system/cpu/cpu2/online: Invalid argument
        settle
        ^~~~~~
        hint: the kernel returned -EINVAL (-22)

        """#),
    BadInput(
      category: .sysfs, input: "echo -n \"\" > /sys/devices/system/cpu/cpu2/online\nsettle",
      error: #"""
        t.hpl:2:1: error: write error: /sys/devices/system/cpu/cpu2/online: Invalid argument
        settle
        ^~~~~~
        hint: the kernel returned -EINVAL (-22)

        """#),
    BadInput(
      category: .sysfs, input: "cat /sys/devices/system/cpu/cpu9/online",
      error: #"""
        t.hpl:1:1: error: /sys/devices/system/cpu/cpu9/online: No such file or directory
        cat /sys/devices/system/cpu/cpu9/online
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "cat /sys/devices/system/cpu/cpu3/online",
      error: #"""
        t.hpl:1:1: error: /sys/devices/system/cpu/cpu3/online: No such file or directory
        cat /sys/devices/system/cpu/cpu3/online
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "ls /sys/devices/system/cpu/cpu0/nope",
      error: #"""
        t.hpl:1:1: error: /sys/devices/system/cpu/cpu0/nope: No such file or directory
        ls /sys/devices/system/cpu/cpu0/nope
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "cat /sys/devices/system/cpu",
      error: #"""
        t.hpl:1:1: error: /sys/devices/system/cpu: Is a directory
        cat /sys/devices/system/cpu
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 >> /sys/devices/system/cpu/present",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu/present: Permission denied
        echo 1 >> /sys/devices/system/cpu/present
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system/cpu/cpu2/nope",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu/cpu2/nope: No such file or directory
        echo 1 > /sys/devices/system/cpu/cpu2/nope
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /proc/cpuinfo",
      error: #"""
        t.hpl:1:8: error: /proc/cpuinfo: No such file or directory
        echo 1 > /proc/cpuinfo
               ^~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > sys/devices/system/cpu/cpu9/online",
      error: #"""
        t.hpl:1:8: error: sys/devices/system/cpu/cpu9/online: No such file or directory
        echo 1 > sys/devices/system/cpu/cpu9/online
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system/cpu/cpu1/online/x",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system/cpu/cpu1/online/x: No such file or directory
        echo 1 > /sys/devices/system/cpu/cpu1/online/x
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys",
      error: #"""
        t.hpl:1:8: error: /sys: Is a directory
        echo 1 > /sys
               ^~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "cat /sys/devices",
      error: #"""
        t.hpl:1:1: error: /sys/devices: Is a directory
        cat /sys/devices
        ^~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .sysfs, input: "echo 1 > /sys/devices/system",
      error: #"""
        t.hpl:1:8: error: /sys/devices/system: Is a directory
        echo 1 > /sys/devices/system
               ^~~~~~~~~~~~~~~~~~~~~

        """#),
    // MARK: lesson
    BadInput(
      category: .lesson, input: "# L\n```hplab\nprint 1\n",
      error: #"""
        $DIR/lesson.md:2: error: the ```hplab fence opened here is never closed
        hint: close it with a line of ``` (at least 3 backticks)

        """#),
    BadInput(
      category: .lesson, input: "# L\n```output\n1\n```\n",
      error: #"""
        $DIR/lesson.md:2: error: this output block does not follow an hplab cell
        hint: an output block must come right after its cell, with only blank lines between

        """#),
    BadInput(
      category: .lesson, input: "```hplab\n\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: the cell is empty
        hint: write commands between the fences, or remove the cell

        """#),
    BadInput(
      category: .lesson, input: "```hplab {bogus}\nprint 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: unknown cell attribute 'bogus'
        hint: known attributes: error, exercise, id=NAME

        """#),
    BadInput(
      category: .lesson, input: "```hplab bogus\nprint 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: cell attributes must be in braces: 'bogus'
        hint: write ```hplab {bogus}

        """#),
    BadInput(
      category: .lesson, input: "```hplabx\nprint 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: unknown cell language 'hplabx'
        hint: a cell starts with ```hplab; attributes go in braces after a space: ```hplab {error}

        """#),
    BadInput(
      category: .lesson, input: "```hplab {error error}\nprint 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: the attribute 'error' is given twice

        """#),
    BadInput(
      category: .lesson, input: "```hplab {id=a b}\nprint 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: unknown cell attribute 'b'
        hint: known attributes: error, exercise, id=NAME

        """#),
    BadInput(
      category: .lesson, input: "```hplab {id=x}\nprint 1\n```\n```hplab {id=x}\nprint 2\n```\n",
      error: #"""
        $DIR/lesson.md:4: error: the cell id 'x' is already used by the cell at line 1

        """#),
    BadInput(
      category: .lesson, input: "</details>\n",
      error: #"""
        $DIR/lesson.md:1: error: </details> without a <details> before it

        """#),
    BadInput(
      category: .lesson, input: "<details>\n```hplab\nprint 1\n```\n</details>\n",
      error: #"""
        $DIR/lesson.md:2: error: a cell cannot be inside a <details> block (opened at line 1)
        hint: put the cell outside, or mark it ```hplab {exercise} to show it as a collapsed solution

        """#),
    BadInput(
      category: .lesson, input: "<details>\ntext\n",
      error: #"""
        $DIR/lesson.md:1: error: this <details> block is never closed
        hint: end it with a </details> line

        """#),
    BadInput(
      category: .lesson, input: "```hplab\nprint 1\n```\n```output extra\n1\n```\n",
      error: #"""
        $DIR/lesson.md:4: error: an output block takes no attributes ('output extra')

        """#),
    BadInput(
      category: .lesson, input: "```hplab\nprint 1\n```\n\n````output\n1\n```\n",
      error: #"""
        $DIR/lesson.md:5: error: the ````output fence opened here is never closed
        hint: close it with a line of ````

        """#),
    BadInput(
      category: .lesson, input: "    ```hplab\n    print 1\n    ```\n",
      error: #"""
        $DIR/lesson.md:1: error: this hplab fence is indented by 4 spaces, so it would not be a cell
        hint: indent cell and output fences by at most 3 spaces

        """#),
    BadInput(
      category: .lesson, input: "```hplab {exercise}\nlet x = 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: an exercise cell must be followed by the cell that checks the answer
        hint: add a cell after it with `expect` lines that hold for any correct answer

        """#),
    BadInput(
      category: .lesson, input: "```hplab {id=}\nprint 1\n```\n",
      error: #"""
        $DIR/lesson.md:1: error: the cell id '' is not valid
        hint: an id has 1 to 64 letters, digits, '-' or '_' (Jupyter's cell-id rule)

        """#),
    BadInput(
      category: .lesson, input: "~~~hplab\nprint 1\n",
      error: #"""
        $DIR/lesson.md:1: error: the ~~~hplab fence opened here is never closed
        hint: close it with a line of ~~~ (at least 3 tildes)

        """#),
    // MARK: acpi
    BadInput(
      category: .acpi, input: "acpi decode $DIR/missing.dat",
      error: #"""
        t.hpl:1:13: error: cannot read '$DIR/missing.dat': No such file or directory
        acpi decode $DIR/missing.dat
                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR",
      error: #"""
        t.hpl:1:13: error: cannot read '$DIR': Is a directory
        acpi decode $DIR
                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/empty.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/empty.dat: table at offset 0 (0x0): short table: 0 byte(s), the common header alone needs 36
        acpi decode $DIR/empty.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/short.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/short.dat: FACP at offset 20 (0x14): short table: 20 byte(s), the common header alone needs 36
        acpi decode $DIR/short.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/header-only.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/header-only.dat: FACP at offset 4 (0x4): bad Length: the header says 276 bytes but only 36 are present
        acpi decode $DIR/header-only.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/badsum.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/badsum.dat: FACP at offset 9 (0x9): wrong checksum 0x33, should be 0x32 (table sums to 0x01)
        acpi decode $DIR/badsum.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/badlen.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/badlen.dat: APIC at offset 4 (0x4): bad Length: the header says 272 bytes but only 268 are present
        acpi decode $DIR/badlen.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/extra.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/extra.dat: APIC at offset 268 (0x10C): bad Length: the header says 268 bytes but 270 are present
        acpi decode $DIR/extra.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi decode $DIR/badrsdp.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/badrsdp.dat: RSDP at offset 8 (0x8): wrong checksum 0x79 over bytes 0-19, should be 0x78
        acpi decode $DIR/badrsdp.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: the file must hold one complete ACPI table (.aml/.dat)

        """#),
    BadInput(
      category: .acpi, input: "acpi asl $DIR/FACP.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/FACP.dat: AE_BAD_SIGNATURE: table "FACP" holds no AML (need DSDT or SSDT) [table offset 0x0000]
        acpi asl $DIR/FACP.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: acpi asl and acpi eval need a DSDT or SSDT with AML

        """#),
    BadInput(
      category: .acpi, input: "acpi asl $DIR/cut.aml",
      error: #"""
        t.hpl:1:1: error: $DIR/cut.aml: AE_AML_BAD_OPCODE: PkgLength 1296 runs past the end of the enclosing object (ends at table offset 0x029A) [table offset 0x0025]
        acpi asl $DIR/cut.aml
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: acpi asl and acpi eval need a DSDT or SSDT with AML

        """#),
    BadInput(
      category: .acpi, input: "acpi asl $DIR/badsum.dat",
      error: #"""
        t.hpl:1:1: error: $DIR/badsum.dat: AE_BAD_HEADER: FACP at offset 9 (0x9): wrong checksum 0x33, should be 0x32 (table sums to 0x01) [table offset 0x0009]
        acpi asl $DIR/badsum.dat
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: acpi asl and acpi eval need a DSDT or SSDT with AML

        """#),
    BadInput(
      category: .acpi, input: "acpi asl $DIR/DSDT.aml \\\\_SB.NOPE",
      error: #"""
        t.hpl:1:1: error: \_SB.NOPE: AE_NOT_FOUND, no such object in $DIR/DSDT.aml
        acpi asl $DIR/DSDT.aml \\_SB.NOPE
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: paths are absolute, like \_SB.C000._STA

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR/DSDT.aml \\\\_SB.NOPE",
      error: #"""
        t.hpl:1:1: error: Evaluation of \_SB.NOPE failed with status AE_NOT_FOUND
          \_SB.NOPE does not exist in the namespace
        acpi eval $DIR/DSDT.aml \\_SB.NOPE
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR/DSDT.aml \\\\_SB.CPUS.CSTA",
      error: #"""
        t.hpl:1:1: error: Evaluation of \_SB.CPUS.CSTA failed with status AE_AML_UNINITIALIZED_ARG
          Arg0 was not passed (in method \_SB.CPUS.CSTA) at: \_SB.PRES.CSEL = Arg0
        acpi eval $DIR/DSDT.aml \\_SB.CPUS.CSTA
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR/DSDT.aml \\\\_SB.CPUS.CSTA zz",
      error: #"""
        t.hpl:1:1: error: argument zz is not an integer, string or buffer
        acpi eval $DIR/DSDT.aml \\_SB.CPUS.CSTA zz
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: integers are decimal unless written with 0x (84 vs 0x84)

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR/DSDT.aml \\\\_SB.CPUS.CSTA \"(01 zz)\"",
      error: #"""
        t.hpl:1:1: error: argument (01 zz): "zz" is not a hex byte
        acpi eval $DIR/DSDT.aml \\_SB.CPUS.CSTA "(01 zz)"
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: write buffers as (01 02 03)

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR/APIC.dat \\\\_SB",
      error: #"""
        t.hpl:1:1: error: $DIR/APIC.dat: AE_BAD_SIGNATURE: table "APIC" holds no AML (need DSDT or SSDT) [table offset 0x0000]
        acpi eval $DIR/APIC.dat \\_SB
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: acpi asl and acpi eval need a DSDT or SSDT with AML

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR/missing.aml \\\\_SB",
      error: #"""
        t.hpl:1:11: error: cannot read '$DIR/missing.aml': No such file or directory
        acpi eval $DIR/missing.aml \\_SB
                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .acpi, input: "acpi dump $DIR/missing-dir",
      error: #"""
        t.hpl:1:11: error: '$DIR/missing-dir' is not a directory
        acpi dump $DIR/missing-dir
                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: create it first

        """#),
    BadInput(
      category: .acpi, input: "acpi dump $DIR/FACP.dat",
      error: #"""
        t.hpl:1:11: error: '$DIR/FACP.dat' is not a directory
        acpi dump $DIR/FACP.dat
                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: create it first

        """#),
    BadInput(
      category: .acpi, input: "acpi",
      error: #"""
        t.hpl:1:1: error: 'acpi' needs a sub-command: decode, asl, eval, tables, dump, notify
        acpi
        ^~~~
        hint: `help acpi` explains each

        """#),
    BadInput(
      category: .acpi, input: "acpi nosuch",
      error: #"""
        t.hpl:1:6: error: 'acpi' has no sub-command 'nosuch'
        acpi nosuch
             ^~~~~~
        hint: its sub-commands are: decode, asl, eval, tables, dump, notify

        """#),
    BadInput(
      category: .acpi, input: "acpi decode /dev/zero",
      error: #"""
        t.hpl:1:13: error: cannot read '/dev/zero': it is larger than 64 MiB
        acpi decode /dev/zero
                    ^~~~~~~~~

        """#),
    BadInput(
      category: .acpi, input: "acpi eval $DIR \\\\_SB",
      error: #"""
        t.hpl:1:11: error: cannot read '$DIR': Is a directory
        acpi eval $DIR \\_SB
                  ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    // MARK: guest
    BadInput(
      category: .guest, input: "a64 asm $DIR/missing.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/missing.S: No such file or directory
        a64 asm $DIR/missing.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/bad-mnemonic.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-mnemonic.S:2:3: error: unknown instruction 'frob'
        a64 asm $DIR/bad-mnemonic.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/bad-register.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-register.S:1:15: error: undefined symbol 'x32'
        a64 asm $DIR/bad-register.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/bad-imm.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-imm.S:1:15: error: immediate 4097 does not fit in 12 bits (optionally shifted by 12)
        a64 asm $DIR/bad-imm.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/undefined-label.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/undefined-label.S:1:5: error: undefined symbol 'nowhere'
        a64 asm $DIR/undefined-label.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/duplicate-label.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/duplicate-label.S:3:1: error: symbol 'a' is already defined
        a64 asm $DIR/duplicate-label.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/missing-operand.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/missing-operand.S:1:13: error: missing operand: expected an immediate
        a64 asm $DIR/missing-operand.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/far-branch.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/far-branch.S:1:8: error: branch target out of range (±1048576 bytes)
        a64 asm $DIR/far-branch.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/bad-directive.S -o $DIR/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-directive.S:1:3: error: unknown directive '.frobnicate'
        a64 asm $DIR/bad-directive.S -o $DIR/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/ok.S -o $DIR/no-such-dir/out.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/no-such-dir/out.bin: No such file or directory (creating a temporary file)
        a64 asm $DIR/ok.S -o $DIR/no-such-dir/out.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/ok.S",
      error: #"""
        t.hpl:1:1: error: 'a64 asm' is missing -o
        a64 asm $DIR/ok.S
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
        hint: usage: a64 asm FILE -o PATH [--base N]

        """#),
    BadInput(
      category: .guest, input: "a64 disasm $DIR/missing.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/missing.bin: No such file or directory
        a64 disasm $DIR/missing.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 run $DIR/missing.S",
      error: #"""
        t.hpl:1:1: error: $DIR/missing.S: No such file or directory
        a64 run $DIR/missing.S
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 run $DIR/bad-mnemonic.S",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-mnemonic.S:2:3: error: unknown instruction 'frob'
        a64 run $DIR/bad-mnemonic.S
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 run $DIR/ok.S --max-insns 0",
      error: #"""
        t.hpl:1:44: error: --max-insns must be positive
        a64 run $DIR/ok.S --max-insns 0
                                                   ^~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 run $DIR/ok.S --base 3",
      error: #"""
        t.hpl:1:1: error: cannot load the program: 8 byte(s) at 0x3 are not RAM
        a64 run $DIR/ok.S --base 3
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "kernel trampoline load $DIR/missing.S",
      error: #"""
        t.hpl:1:24: error: cannot read '$DIR/missing.S': No such file or directory
        kernel trampoline load $DIR/missing.S
                               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "kernel trampoline bogus",
      error: #"""
        t.hpl:1:19: error: ACTION must be one of show, load, save, reset, not 'bogus'
        kernel trampoline bogus
                          ^~~~~

        """#),
    BadInput(
      category: .guest, input: "kernel trampoline load",
      error: #"""
        t.hpl:1:1: error: load needs a FILE
        kernel trampoline load
        ^~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/bad-mnemonic.S -o $DIR/existing.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-mnemonic.S:2:3: error: unknown instruction 'frob'
        a64 asm $DIR/bad-mnemonic.S -o $DIR/existing.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "a64 asm $DIR/bad-imm.S -o $DIR/existing.bin",
      error: #"""
        t.hpl:1:1: error: $DIR/bad-imm.S:1:15: error: immediate 4097 does not fit in 12 bits (optionally shifted by 12)
        a64 asm $DIR/bad-imm.S -o $DIR/existing.bin
        ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    BadInput(
      category: .guest, input: "kernel trampoline save $DIR/no-such-dir/t.S",
      error: #"""
        t.hpl:1:24: error: $DIR/no-such-dir/t.S: cannot write the file: No such file or directory (creating a temporary file)
        kernel trampoline save $DIR/no-such-dir/t.S
                               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#),
    // A lesson that is not UTF-8 (the row's file holds the bytes "# \xFF\n").
    BadInput(
      category: .lesson, input: "",
      error: #"""
        $DIR/lesson.md:1: error: the file is not valid UTF-8 (byte 3)
        hint: lessons are UTF-8 Markdown; re-save the file as UTF-8

        """#,
      files: ["lesson.md": [0x23, 0x20, 0xFF, 0x0A]]),
    // A script that is not UTF-8 is refused, not run with replacement characters.
    BadInput(
      category: .command, input: "source $DIR/bad.hpl",
      error: #"""
        t.hpl:1:8: error: cannot read '$DIR/bad.hpl': line 2: the file is not valid UTF-8 (byte 16)
        source $DIR/bad.hpl
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

        """#,
      files: ["bad.hpl": Array("print 1\nprint \"".utf8) + [0xC3, 0x28, 0x22, 0x0A]]),
  ]

  @Test(arguments: BadInputTests.rows)
  func failsWithItsErrorAndChangesNothing(_ row: BadInput) throws {
    let (error, changed) = try BadInputHarness.run(row)
    #expect(error == row.error)
    #expect(changed.isEmpty, "the failed input changed \(changed.joined(separator: ", "))")
  }

  @Test func atLeast150InputsInEveryCategory() {
    #expect(BadInputTests.rows.count >= 150)
    for category in BadInput.Category.allCases {
      let count = BadInputTests.rows.filter { $0.category == category }.count
      #expect(count >= 15, "only \(count) bad inputs for \(category.rawValue)")
    }
  }
}
