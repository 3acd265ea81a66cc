import LabScript

/// Registers every HotplugLab module's commands in a session: what `hplab` starts with.
public enum LabModules {
  public static func register(in session: Session) {
    ACPICommands.register(in: session.registry)
  }

  /// A session with everything registered.
  public static func makeSession(output: any OutputSink = BufferedOutput()) -> Session {
    let session = Session(output: output)
    register(in: session)
    return session
  }
}
