import LabScript

/// Registers every HotplugLab module's commands in a session: what `hplab` starts with.
public enum LabModules {
  /// Registers the machine, kernel, stepping, ACPI and A64 commands, all acting on one new
  /// ``Lab``, which is returned so a program (or the notebook's `timeline`) can look at it.
  @discardableResult
  public static func install(in session: Session) -> Lab {
    let lab = Lab()
    let registry = session.registry
    for command in lab.machineCommands + lab.kernelCommands + lab.steppingCommands + [lab.workloadCommand] {
      registry.register(command)
    }
    for function in lab.kernelFunctions + lab.workloadFunctions { registry.register(function) }
    registry.register(ACPICommands.command(lab))
    A64Commands.register(in: registry)
    return lab
  }

  /// A session with everything registered.
  public static func makeSession(output: any OutputSink = BufferedOutput()) -> Session {
    makeLabSession(output: output).session
  }

  /// A session with everything registered, and the Lab its commands act on.
  public static func makeLabSession(output: any OutputSink = BufferedOutput()) -> (session: Session, lab: Lab)
  {
    let session = Session(output: output)
    let lab = install(in: session)
    return (session, lab)
  }
}
