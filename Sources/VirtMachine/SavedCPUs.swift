import A64

/// The vCPU states of a machine snapshot, by slot, in chunks shared between snapshots. The Lab
/// takes a snapshot before every command (for `undo`); with hundreds of vCPUs, a flat table
/// meant copying, and later freeing, every vCPU's state each time, when usually only a few had
/// run. Setting one slot copies its chunk of 16 and the short list of chunks.
struct SavedCPUs: Sendable {
  static let chunkSize = 16
  private var chunks: [[CPUState?]] = []

  subscript(slot: Int) -> CPUState? {
    get {
      let chunk = slot / Self.chunkSize
      return chunk < chunks.count ? chunks[chunk][slot % Self.chunkSize] : nil
    }
    set {
      let chunk = slot / Self.chunkSize
      while chunks.count <= chunk { chunks.append(Array(repeating: nil, count: Self.chunkSize)) }
      chunks[chunk][slot % Self.chunkSize] = newValue
    }
  }
}
