import Vapor
import Domain

/// A command stopped on purpose, after it printed what went wrong.
struct ExitCode: Error { var code: Int32; init(_ code: Int32) { self.code = code } }

/// What a `wijkwerk` command says when it stops on an error: one line on standard error, and the
/// exit status (2 for a wrong use of the command, 1 otherwise), never a crash with a backtrace.
public enum CommandFailure {
    public static func report(_ error: any Error, localizer: Localizer? = nil) -> (message: String?, status: Int32) {
        switch error {
        case let exit as ExitCode:
            return (nil, exit.code) // the command printed its own message
        case let failure as ValidationFailure:
            let lines = failure.errors.map { e in "\(e.field): " + (localizer?.text(e.key, .en, e.values) ?? e.key) }
            return (lines.joined(separator: "\n"), 1)
        case let invalid as AppConfig.Invalid:
            return (invalid.description, 1)
        case let command as CommandError:
            return ("\(command.description) (see --help)", 2)
        case let abort as any AbortError:
            return (abort.reason, 1)
        default:
            return (String(describing: error), 1)
        }
    }
}
