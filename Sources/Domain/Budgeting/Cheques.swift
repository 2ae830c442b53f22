import Foundation

/// Cheques (Ede Doet, domain.md §5): every household of an area receives cheque codes of a fixed value for a
/// period; residents pool cheques on an initiative; an initiative whose pledged cheques reach its amount before
/// its deadline is funded from the area's budget, the others release their cheques (which can then be pledged
/// again while they are valid). A cheque is spent once and expires at the end of its period.
public enum ChequePool {
    public enum State: String, Codable, Sendable {
        /// Collecting: pledges can still be made.
        case collecting
        /// The amount was reached: funded, the pledged cheques are spent.
        case funded
        /// The deadline passed without reaching the amount: the cheques are free again.
        case released
    }

    /// The state of an initiative's pool on `day` (deadline inclusive).
    public static func state(target: Int, pledged: Int, deadline: Date, day: Date, funded: Bool) -> State {
        if funded { return .funded }
        return day > deadline ? .released : .collecting
    }

    /// What one more cheque of `value` does to a pool: whether it is accepted and whether it completes the amount.
    public enum Pledge: Equatable, Sendable {
        case accepted(completes: Bool)
        case refused(Problem)
    }

    public enum Problem: String, Error, Sendable {
        /// The cheque's period is over (or has not begun).
        case expired
        /// The initiative already has its amount.
        case alreadyFunded
        /// The initiative's deadline passed.
        case deadlinePassed
    }

    public static func pledge(value: Int, target: Int, pledged: Int, deadline: Date, validFrom: Date, validUntil: Date, day: Date, funded: Bool) -> Pledge {
        if day < validFrom || day > validUntil { return .refused(.expired) }
        switch state(target: target, pledged: pledged, deadline: deadline, day: day, funded: funded) {
        case .funded: return .refused(.alreadyFunded)
        case .released: return .refused(.deadlinePassed)
        case .collecting: return .accepted(completes: pledged + value >= target)
        }
    }

    /// How many cheques an amount still needs.
    public static func chequesNeeded(target: Int, pledged: Int, value: Int) -> Int {
        guard value > 0, pledged < target else { return 0 }
        return (target - pledged + value - 1) / value
    }
}
