import Vapor
import NIOConcurrencyHelpers
import Domain

/// Limits how often one client may post an anonymous public form (a story, a consultation response): at most
/// `limit` posts per `window` per client address and form, kept in memory (a restart forgets, which is fine).
final class PostingThrottle: Sendable {
    private let times = NIOLockedValueBox<[String: [Date]]>([:])

    /// Records a post and says whether it is within the limit.
    func allow(_ key: String, now: Date, limit: Int = 5, window: TimeInterval = 600) -> Bool {
        times.withLockedValue { all in
            if all.count > 50_000 { all.removeAll() }
            let recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count < limit else { all[key] = recent; return false }
            all[key] = recent + [now]
            return true
        }
    }
}

extension Application {
    private struct PostingThrottleKey: StorageKey { typealias Value = PostingThrottle }
    var postingThrottle: PostingThrottle {
        if let t = storage[PostingThrottleKey.self] { return t }
        let t = PostingThrottle()
        storage[PostingThrottleKey.self] = t
        return t
    }
}

extension Request {
    /// The client's address: the first X-Forwarded-For hop when the request came through a trusted proxy.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "?"
        if application.config.trustedProxies.contains(peer), let forwarded = headers.first(name: .xForwardedFor)?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return peer
    }

    /// Whether this client may post this public form now (see `PostingThrottle`).
    func mayPost(_ form: String) -> Bool {
        application.postingThrottle.allow(form + "|" + clientAddress, now: application.clock())
    }
}
