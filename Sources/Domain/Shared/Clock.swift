import Foundation

/// The source of "now", injected so tests can set it.
public struct Clock: Sendable {
    private let now: @Sendable () -> Date
    public init(_ now: @escaping @Sendable () -> Date) { self.now = now }
    public func callAsFunction() -> Date { now() }
    public static let system = Clock { Date() }
    public static func fixed(_ date: Date) -> Clock { Clock { date } }
}
