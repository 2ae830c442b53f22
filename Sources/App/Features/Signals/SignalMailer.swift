import Vapor
import Fluent
import Domain

/// The mail a signal causes: the reporter's confirmation and status updates (in their language, at the states
/// the municipality chose), and notices to the people a signal is escalated to. Everything goes through the outbox.
struct SignalMailer: Sendable {
    var localizer: Localizer
    var publicURL: String

    init(_ app: Application) {
        localizer = app.localizer
        publicURL = app.config.publicURL
    }

    private func t(_ key: String, _ language: Language, _ args: String...) -> String { localizer.text(key, language, args) }

    /// The reporter's own link: the public page plus the secret that lets them answer and give feedback.
    func trackingLink(_ signal: Signal) -> String {
        signal.reporterKey == nil ? "\(publicURL)/melding/\(signal.trackingCode)" : publicURL + TrackingController.ownLinkPath(signal)
    }

    func confirmation(_ signal: Signal, category: SignalCategory, to email: String, at now: Date, on db: any Database) async throws {
        let lang = Language(rawValue: signal.language) ?? .nl
        let deadline = signal.deadline.map { Format.day($0, lang) } ?? "–"
        try await Outbox.enqueue(to: email, subject: t("signal.mail.confirmation.subject", lang, signal.trackingCode),
                                 body: t("signal.mail.confirmation.body", lang, signal.trackingCode, category.name(lang), deadline, trackingLink(signal)),
                                 at: now, on: db)
    }

    func stateChanged(_ signal: Signal, to state: SignalState, publicText: String?, at now: Date, on db: any Database) async throws {
        let settings = try await SignalSettings.query(on: db).filter(\.$municipality.$id == signal.$municipality.id).first()
        let states = settings?.mailedStates ?? Set(SignalSettings.defaultMailStates)
        guard states.contains(state) else { return }
        try await followers(signal, state: state, publicText: publicText, at: now, on: db)
        guard let email = signal.reporterEmail else { return }
        let lang = Language(rawValue: signal.language) ?? .nl
        var body = t("signal.mail.state.body", lang, signal.trackingCode, t("signal.state.\(state.rawValue)", lang))
        if let publicText, !publicText.isEmpty { body += "\n\n" + publicText }
        if state == .afgehandeld { body += "\n\n" + t("signal.mail.state.feedback", lang, trackingLink(signal)) }
        body += "\n\n" + trackingLink(signal)
        try await Outbox.enqueue(to: email, subject: t("signal.mail.state.subject", lang, signal.trackingCode), body: body, at: now, on: db)
    }

    /// Residents who follow the report: the same news, the public page (not the reporter's own link), and a
    /// one-click way to stop (the follower's own stop link, the same in every mail).
    private func followers(_ signal: Signal, state: SignalState, publicText: String?, at now: Date, on db: any Database) async throws {
        let following = try await SignalFollower.query(on: db).filter(\.$signal.$id == signal.requireID()).filter(\.$confirmedAt != nil).all()
        guard !following.isEmpty else { return }
        for f in following {
            let lang = Language(rawValue: f.language) ?? .nl
            let stop = publicURL + Site.followStop.link(f.stopToken)
            var body = t("signal.mail.follow.body", lang, signal.trackingCode, t("signal.state.\(state.rawValue)", lang))
            if let publicText, !publicText.isEmpty { body += "\n\n" + publicText }
            body += "\n\n" + publicURL + Site.tracking.link(signal.trackingCode)
            body += "\n\n" + t("signal.mail.follow.stop", lang, stop)
            try await Outbox.enqueue(to: f.email, subject: t("signal.mail.state.subject", lang, signal.trackingCode), body: body, unsubscribe: stop, at: now, on: db)
        }
    }

    /// The double opt-in: the link confirms following; nothing is mailed about the report before that.
    func followConfirmation(_ signal: Signal, token: String, stopToken: String, to email: String, language lang: Language, at now: Date, on db: any Database) async throws {
        let stop = publicURL + Site.followStop.link(stopToken)
        try await Outbox.enqueue(to: email, subject: t("signal.mail.followConfirm.subject", lang, signal.trackingCode),
                                 body: t("signal.mail.followConfirm.body", lang, signal.trackingCode, publicURL + Site.follow.link(token), stop),
                                 unsubscribe: stop, at: now, on: db)
    }

    /// Notifies everyone with the role in the signal's scope (area, department or municipality).
    func escalated(_ signal: Signal, role: Role, reason: String?, at now: Date, on db: any Database, people: [User]? = nil) async throws {
        let recipients: [User]
        if let people { recipients = people } else { recipients = try await SignalScope.people(with: role, for: signal, on: db) }
        for user in recipients {
            var body = t("signal.mail.escalated.body", .nl, signal.trackingCode, signal.deadline.map { Format.day($0, .nl) } ?? "–",
                         "\(publicURL)/werk/meldingen/\(signal.trackingCode)")
            if let reason { body += "\n\n" + reason }
            try await Outbox.enqueue(to: user.email, subject: t("signal.mail.escalated.subject", .nl, signal.trackingCode), body: body, at: now, on: db)
        }
    }
}

/// Who is responsible for a signal in a role.
enum SignalScope {
    /// The key under which `people(with:for:)` gives the same answer (for caching within a job run).
    static func key(_ role: Role, for signal: Signal) -> String {
        switch role.scopeKind {
        case .areas: return "\(role.rawValue)|a|\(signal.areaID?.uuidString ?? "-")"
        case .department: return "\(role.rawValue)|d|\(signal.departmentID?.uuidString ?? "-")"
        case .municipality: return "\(role.rawValue)|m|\(signal.$municipality.id)"
        }
    }

    static func people(with role: Role, for signal: Signal, on db: any Database) async throws -> [User] {
        try await StaffDirectory.people(with: role, municipality: signal.$municipality.id, area: signal.areaID, department: signal.departmentID, on: db)
    }
}
