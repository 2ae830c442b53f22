import App
import Vapor
import Logging
import Foundation

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try await configure(app)
            // Commands that need a ready database migrate it (and load the demo on an empty one) first.
            let command = CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") }
            if command == nil || ["serve", "user", "open311-key", "jobs", "import", "seed-synthetic", "seed-signals", "seed-councils"].contains(command!) {
                try await app.prepareDatabase()
                if command == nil || command == "serve" {
                    try await app.warmCaches()
                    app.startScheduler()
                }
            } else if command == "seed" {
                try await app.autoMigrate()
            }
            try await app.execute()
        } catch {
            // One line saying what is wrong, and an exit status: never a crash with a backtrace.
            let (message, status) = CommandFailure.report(error, localizer: app.localizerIfLoaded)
            if let message { FileHandle.standardError.write(Data(("wijkwerk: " + message + "\n").utf8)) }
            try? await app.asyncShutdown()
            exit(status)
        }
        try await app.asyncShutdown()
    }
}
