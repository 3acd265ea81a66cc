// The libFuzzer harness for FuzzTarget.labscript (see Sources/FuzzTargets). Scripts/fuzz builds it
// with -sanitize=fuzzer and HPLAB_FUZZING, where libFuzzer provides main; an ordinary build
// gets a main that replays input files: `fuzz-labscript FILE-OR-DIRECTORY...`.
import FuzzTargets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  FuzzTarget.labscript.run(data, size)
  return 0
}

#if !HPLAB_FUZZING
  @main enum Replay {
    static func main() { FuzzReplay.main(.labscript) }
  }
#endif
