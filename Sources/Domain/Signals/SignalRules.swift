import Foundation

/// Tracking codes that a resident can read out over the phone: no 0/O or 1/I, grouped in fours.
public enum TrackingCode {
    static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")

    public static func make<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let chars = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return "SIG-" + String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    public static func make() -> String {
        var g = SystemRandomNumberGenerator()
        return make(using: &g)
    }

    /// A secret of 20 characters for the reporter's own link.
    public static func secret() -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }

    /// A typed code in its canonical form ("sig 2345 abcd" → "SIG-2345-ABCD"), or nil when it cannot be one.
    public static func normalise(_ text: String) -> String? {
        var raw = text.uppercased().filter { $0.isLetter || $0.isNumber }
        if raw.hasPrefix("SIG") { raw.removeFirst(3) }
        guard raw.count == 8, raw.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return "SIG-" + raw.prefix(4) + "-" + raw.suffix(4)
    }
}

public enum SignalRules {
    public static let descriptionLimit = 4000
    public static let placeLimit = 300
    /// Duplicates: the same category within 50 metres in the last 12 weeks.
    public static let nearbyMetres = 50.0
    public static let nearbyWindow: TimeInterval = 12 * 7 * 24 * 3600
    /// A negative answer to the satisfaction question within 14 days after closing asks to reopen.
    public static let feedbackReopenWindow: TimeInterval = 14 * 24 * 3600
    public static let defaultRetentionDays = 365

    /// Distance in metres between two WGS84 positions (haversine; good to well under a metre at 50 m).
    public static func distance(_ a: Position, _ b: Position) -> Double {
        let r = 6_371_008.8
        let dLat = (b.lat - a.lat) * .pi / 180, dLon = (b.lon - a.lon) * .pi / 180
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * .pi / 180) * cos(b.lat * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }

    /// A box around a point that certainly holds everything within `metres` (for a database prefilter).
    public static func box(around p: Position, metres: Double) -> BoundingBox {
        let dLat = metres / 111_320 * 1.01
        let dLon = metres / (111_320 * max(0.01, cos(p.lat * .pi / 180))) * 1.01
        return BoundingBox(minLon: p.lon - dLon, minLat: p.lat - dLat, maxLon: p.lon + dLon, maxLat: p.lat + dLat)
    }

    /// Whether `other` may be the same problem as a signal at `position` in `category` reported at `at`.
    public static func isNearbySimilar(position: Position, category: UUID, at: Date,
                                       other: (position: Position, category: UUID, at: Date)) -> Bool {
        other.category == category && abs(at.timeIntervalSince(other.at)) <= nearbyWindow
            && distance(position, other.position) <= nearbyMetres
    }

    /// Whether a dissatisfied answer reopens the signal (asks for reopening), given when it was closed.
    public static func feedbackRequestsReopen(satisfied: Bool, closedAt: Date, answeredAt: Date) -> Bool {
        !satisfied && answeredAt >= closedAt && answeredAt.timeIntervalSince(closedAt) <= feedbackReopenWindow
    }

    /// Whether the reporter's contact details must be removed now (retention counted from closing).
    public static func contactExpired(closedAt: Date?, now: Date, retentionDays: Int) -> Bool {
        guard let closedAt else { return false }
        return closedAt < contactRetentionCutoff(now: now, retentionDays: retentionDays)
    }

    /// Signals closed before this moment have passed the retention period (the same rule as a query condition).
    public static func contactRetentionCutoff(now: Date, retentionDays: Int) -> Date {
        now.addingTimeInterval(-Double(retentionDays) * 24 * 3600)
    }
}

/// Handling-time figures: median and 90th percentile (nearest rank).
public enum HandlingStatistics {
    public static func percentile(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    public struct Summary: Sendable, Equatable {
        public var count: Int
        public var median: Double?
        public var p90: Double?
    }

    public static func summary(_ durations: [Double]) -> Summary {
        Summary(count: durations.count, median: percentile(durations, 50), p90: percentile(durations, 90))
    }
}
