import Foundation

/// How long a login lasts: it ends after an idle period without requests, and at the latest after
/// an absolute period (a working day), whatever happens in between.
public struct SessionPolicy: Sendable, Equatable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public static let standard = SessionPolicy(idle: 60 * 60, absolute: 10 * 60 * 60)

    public init(idle: TimeInterval, absolute: TimeInterval) {
        self.idle = idle
        self.absolute = absolute
    }

    public func isExpired(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(createdAt) >= absolute || now.timeIntervalSince(lastSeenAt) >= idle
    }
}
