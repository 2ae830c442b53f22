import Vapor
import Fluent
import SQLKit
import Domain

/// Residents who have the same problem as an open report follow it instead of reporting it again ("this is my
/// problem too"): an e-mail address, confirmed through a link (double opt-in), updates at the states the
/// municipality mails about, and a one-click unsubscribe in every mail. The address is stored only for this,
/// never shown (staff see how many follow), removed on unsubscribe and with the reporter's details at retention.
final class SignalFollower: Model, @unchecked Sendable {
    static let schema = "signal_followers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "signal_id") var signal: Signal
    @Field(key: "email") var email: String
    /// Only the hash of the confirmation link's token is kept.
    @Field(key: "token_hash") var tokenHash: String
    /// The secret in the stop link of every mail (it can only stop this follow).
    @Field(key: "stop_token") var stopToken: String
    @Field(key: "language") var language: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    init() {}
}

struct CreateSignalFollowers: AsyncMigration {
    var name: String { "2026-12-01-12-create-signal-followers" }
    func prepare(on db: any Database) async throws {
        try await db.schema(SignalFollower.schema)
            .id()
            .field("signal_id", .uuid, .required, .references(Signal.schema, "id", onDelete: .cascade))
            .field("email", .string, .required).field("token_hash", .string, .required).field("stop_token", .string, .required)
            .field("language", .string, .required)
            .field("created_at", .datetime, .required).field("confirmed_at", .datetime)
            .unique(on: "signal_id", "email").unique(on: "token_hash").unique(on: "stop_token")
            .create()
        try await db.schema(OutgoingMail.schema).field("list_unsubscribe", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(OutgoingMail.schema).deleteField("list_unsubscribe").update()
        try await db.schema(SignalFollower.schema).delete()
    }
}

enum SignalFollowing {
    /// An unconfirmed follow is forgotten after a week.
    static let confirmWithin: TimeInterval = 7 * 86_400

    /// Whether residents may follow this report: open, of a public subject.
    static func followable(_ signal: Signal, on db: any Database) async throws -> Bool {
        guard !signal.state.isClosed else { return false }
        return try await SignalCategory.find(signal.$category.id, on: db)?.isPublic ?? false
    }

    /// Asks to follow: a new address gets a confirmation mail; an address that already follows gets nothing new,
    /// and one that has not confirmed yet gets a new link. The answer is the same in every case, so nobody learns
    /// whether an address follows a report.
    static func ask(_ signal: Signal, email: String, language: Language, at now: Date, on db: any Database, mailer: SignalMailer) async throws {
        let signalID = try signal.requireID()
        let token = randomToken()
        try await db.writeTransaction { db in
            var stopToken = randomToken()
            if let existing = try await SignalFollower.query(on: db).filter(\.$signal.$id == signalID).filter(\.$email == email).first() {
                // Confirmed already, or asked within the hour (the first mail's link still works; no mail flood): nothing new.
                guard existing.confirmedAt == nil, now.timeIntervalSince(existing.createdAt) >= resendAfter else { return }
                stopToken = existing.stopToken
                existing.tokenHash = sha256Hex(token)
                existing.createdAt = now
                existing.language = language.rawValue
                try await existing.update(on: db)
            } else {
                let f = SignalFollower()
                f.$signal.id = signalID
                f.email = email
                f.tokenHash = sha256Hex(token)
                f.stopToken = stopToken
                f.language = language.rawValue
                f.createdAt = now
                // Two requests at once for the same address: the unique (signal, email) key keeps one.
                do { try await f.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { return }
            }
            try await mailer.followConfirmation(signal, token: token, stopToken: stopToken, to: email, language: language, at: now, on: db)
        }
    }

    /// A second request for the same address sends a new link (replacing the first) only after this long.
    static let resendAfter: TimeInterval = 3600

    static func find(token: String, on db: any Database) async throws -> SignalFollower? {
        guard (20...100).contains(token.count) else { return nil }
        return try await SignalFollower.query(on: db).filter(\.$tokenHash == sha256Hex(token)).with(\.$signal).first()
    }

    /// Confirms (idempotent); false when the link is unknown, expired or the report can no longer be followed.
    static func confirm(token: String, at now: Date, on db: any Database) async throws -> SignalFollower? {
        guard let f = try await find(token: token, on: db) else { return nil }
        if f.confirmedAt == nil {
            guard now.timeIntervalSince(f.createdAt) <= confirmWithin, !f.signal.state.isClosed else { return nil }
            f.confirmedAt = now
            try await f.update(on: db)
        }
        return f
    }

    /// Stops following; true when there was something to stop.
    @discardableResult
    static func stop(token: String, on db: any Database) async throws -> Bool {
        guard try await isFollowing(stopToken: token, on: db) else { return false }
        try await SignalFollower.query(on: db).filter(\.$stopToken == token).delete()
        return true
    }

    static func isFollowing(stopToken token: String, on db: any Database) async throws -> Bool {
        guard (20...100).contains(token.count) else { return false }
        return try await SignalFollower.query(on: db).filter(\.$stopToken == token).count() > 0
    }

    static func count(_ signalID: UUID, on db: any Database) async throws -> Int {
        try await SignalFollower.query(on: db).filter(\.$signal.$id == signalID).filter(\.$confirmedAt != nil).count()
    }

    /// Removes unconfirmed requests older than a week and the followers of reports whose retention has passed
    /// (the same moment the reporter's own details go).
    static func purge(municipality: UUID, retentionDays: Int, now: Date, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let cutoff = SignalRules.contactRetentionCutoff(now: now, retentionDays: retentionDays)
        let expired = try await sql.raw("""
            DELETE FROM signal_followers WHERE (confirmed_at IS NULL AND created_at < \(bind: now.addingTimeInterval(-confirmWithin)))
            OR signal_id IN (SELECT id FROM signals WHERE municipality_id = \(bind: municipality) AND closed_at < \(bind: cutoff)) RETURNING id
            """).all()
        return expired.count
    }
}

/// The pages of following a report: ask (on the report's page), confirm from the mail, stop from any mail.
struct SignalFollowController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.trackingFollow.route, use: form)
        routes.post(Site.trackingFollow.route, use: ask)
        routes.get(Site.follow.route, use: confirmPage)
        routes.post(Site.follow.route, use: confirm)
        routes.get(Site.followStop.route, use: stopPage)
        routes.post(Site.followStop.route, use: stop)
    }

    struct Page: Encodable {
        var page: PageMeta
        var heading: String
        var intro: [String]
        var form: FormView?
        var back: String?
        var backText: String?
    }

    private func followable(_ req: Request) async throws -> Signal {
        let signal = try await TrackingController.find(req)
        guard try await SignalFollowing.followable(signal, on: req.db) else { throw AppError(status: .conflict, key: "signal.follow.notFollowable") }
        return signal
    }

    func form(req: Request) async throws -> View {
        let signal = try await followable(req)
        return try await page(req, signal, email: "", errors: [])
    }

    private func page(_ req: Request, _ signal: Signal, email: String, errors: [FieldError]) async throws -> View {
        let heading = req.t("signal.follow.heading", signal.trackingCode)
        let form = FormView(action: Site.trackingFollow.link(signal.trackingCode), submitLabel: req.t("signal.follow.submit"), fields: [
            FieldView(req, name: "email", label: req.t("signal.field.email"), type: "email", value: email, description: req.t("signal.follow.emailHelp"),
                      autocomplete: "email", errors: errors),
        ], csrf: req.csrfToken(), showRequiredNote: false)
        return try await req.view.render("Shared/message-form", Page(
            page: req.page(heading, crumbs: [(req.t("signal.track.heading", signal.trackingCode), Site.tracking.link(signal.trackingCode))], errors: errors),
            heading: heading, intro: [req.t("signal.follow.intro")], form: form,
            back: Site.tracking.link(signal.trackingCode), backText: req.t("signal.follow.back")))
    }

    func ask(req: Request) async throws -> Response {
        let signal = try await followable(req)
        let raw = FormParts.read(req).values["email"] ?? ""
        var errors: [FieldError] = []
        let email = Credentials.normaliseEmail(raw, field: "email").collect(into: &errors)
        guard let email, errors.isEmpty else {
            return try await page(req, signal, email: raw, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard req.mayPost("follow") else {
            return try await page(req, signal, email: raw, errors: [FieldError("email", "signal.follow.tooMany")]).encodeResponse(status: .tooManyRequests, for: req)
        }
        try await SignalFollowing.ask(signal, email: email, language: req.language, at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
        return try await message(req, heading: req.t("signal.follow.sentHeading"), text: req.t("signal.follow.sent", signal.trackingCode),
                                 back: Site.tracking.link(signal.trackingCode))
    }

    private func message(_ req: Request, heading: String, text: String, form: FormView? = nil, back: String?, status: HTTPStatus = .ok) async throws -> Response {
        try await req.render("Shared/message-form", Page(page: req.page(heading), heading: heading, intro: [text], form: form, back: back,
                                                      backText: back == nil ? nil : req.t("signal.follow.back")), status: status)
    }

    private func token(_ req: Request) -> String { req.parameters.get("token") ?? "" }

    /// The link in the mail shows a button: a mail scanner that opens links does not confirm anything.
    func confirmPage(req: Request) async throws -> Response {
        guard let f = try await SignalFollowing.find(token: token(req), on: req.db) else { return try await unknown(req) }
        let form = FormView(action: Site.follow.link(token(req)), submitLabel: req.t("signal.follow.confirm"), fields: [], csrf: req.csrfToken(), showRequiredNote: false)
        return try await message(req, heading: req.t("signal.follow.confirmHeading", f.signal.trackingCode), text: req.t("signal.follow.confirmIntro"),
                                 form: form, back: nil)
    }

    func confirm(req: Request) async throws -> Response {
        guard let f = try await SignalFollowing.confirm(token: token(req), at: req.application.clock(), on: req.db) else { return try await unknown(req) }
        return try await message(req, heading: req.t("signal.follow.confirmedHeading"), text: req.t("signal.follow.confirmed", f.signal.trackingCode),
                                 back: Site.tracking.link(f.signal.trackingCode))
    }

    func stopPage(req: Request) async throws -> Response {
        guard try await SignalFollowing.isFollowing(stopToken: token(req), on: req.db) else { return try await notFollowing(req) }
        let form = FormView(action: Site.followStop.link(token(req)), submitLabel: req.t("signal.follow.stop"), fields: [], csrf: req.csrfToken(), showRequiredNote: false)
        return try await message(req, heading: req.t("signal.follow.stopHeading"), text: req.t("signal.follow.stopIntro"), form: form, back: nil)
    }

    /// Also the one-click unsubscribe of mail programs (RFC 8058: a POST with List-Unsubscribe=One-Click and no
    /// cookies), so this route needs no CSRF token: the token in the address is the authority.
    func stop(req: Request) async throws -> Response {
        guard try await SignalFollowing.stop(token: token(req), on: req.db) else { return try await notFollowing(req) }
        return try await message(req, heading: req.t("signal.follow.stoppedHeading"), text: req.t("signal.follow.stopped"), back: nil)
    }

    /// A stop link that follows nothing (stopped before, removed after the retention period, or mistyped): said as
    /// it is, without claiming that anything was deleted now. Only the holder of the link's secret sees this.
    private func notFollowing(_ req: Request) async throws -> Response {
        try await message(req, heading: req.t("signal.follow.notFollowingHeading"), text: req.t("signal.follow.notFollowing"), back: nil)
    }

    private func unknown(_ req: Request) async throws -> Response {
        try await message(req, heading: req.t("signal.follow.unknownHeading"), text: req.t("signal.follow.unknown"), back: nil, status: .notFound)
    }
}

/// "Already reported?": open reports of the same public subject near the chosen point, shown on the report form
/// with a way to follow one instead of reporting it again. Subject, status, date and distance only.
struct NearbyReports: Encodable {
    struct Item: Encodable { var code: String; var href: String; var followHref: String; var subject: String; var status: String; var reported: String; var distance: String }
    var heading: String
    var intro: String
    var items: [Item]
    /// The point these were shown for: sent back with the form, so sending it again from the same point files the report.
    var seenAt: String

    static let metres = 100.0

    /// "51.752000,5.510000" for the form's point, nil without one.
    static func point(_ values: [String: String]) -> String? {
        guard let lat = SignalInput.decimal(values["lat"]), let lon = SignalInput.decimal(values["lon"]) else { return nil }
        return String(format: "%.6f,%.6f", lat, lon)
    }

    static func find(_ c: PublicSignalsController.Context, code: String, values: [String: String], req: Request) async throws -> NearbyReports? {
        guard let category = c.categories.first(where: { $0.code == code }), category.isPublic,
              let lat = SignalInput.decimal(values["lat"]), let lon = SignalInput.decimal(values["lon"]) else { return nil }
        let position = Position(lon: lon, lat: lat)
        let now = req.application.clock()
        let found = try await SignalNearby.similar(municipality: c.snapshot.id, category: try category.requireID(), around: position, metres: metres,
                                                   since: now.addingTimeInterval(-SignalRules.nearbyWindow), openOnly: true, limit: 5, on: req.db)
        guard !found.isEmpty else { return nil }
        let lang = req.language
        return NearbyReports(heading: req.t("signal.nearby.heading"), intro: req.t("signal.nearby.intro"), items: found.map { signal, distance in
            Item(code: signal.trackingCode, href: Site.tracking.link(signal.trackingCode), followHref: Site.trackingFollow.link(signal.trackingCode),
                 subject: category.name(lang), status: req.t("signal.public." + signal.state.open311Status), reported: Format.day(signal.reportedAt, lang),
                 distance: req.t("signal.nearby.distance", String(Int(distance.rounded()))))
        }, seenAt: point(values) ?? "")
    }
}

/// Reports of one subject near a point, nearest first (a bounding-box prefilter in SQL, the exact distance here).
enum SignalNearby {
    static func similar(municipality: UUID, category: UUID, around position: Position, metres: Double, since: Date, openOnly: Bool,
                        excluding: UUID? = nil, limit: Int, on db: any Database) async throws -> [(Signal, Double)] {
        let box = SignalRules.box(around: position, metres: metres)
        let q = Signal.query(on: db).filter(\.$municipality.$id == municipality).filter(\.$category.$id == category)
            .filter(\.$lat >= box.minLat).filter(\.$lat <= box.maxLat).filter(\.$lon >= box.minLon).filter(\.$lon <= box.maxLon)
            .filter(\.$reportedAt >= since)
        if let excluding { q.filter(\.$id != excluding) }
        if openOnly { q.filter(\.$state ~~ SignalJobs.openStates) }
        let candidates = try await q.limit(50).all()
        return candidates.compactMap { s -> (Signal, Double)? in
            guard let p = s.position else { return nil }
            let d = SignalRules.distance(position, p)
            return d <= metres ? (s, d) : nil
        }.sorted { $0.1 < $1.1 }.prefix(limit).map { $0 }
    }
}
