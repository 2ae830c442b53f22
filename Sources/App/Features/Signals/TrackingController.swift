import Vapor
import Fluent
import Domain

/// The public tracking page of a signal (by its code), the reporter's own link, and the reporter's answer and satisfaction.
struct TrackingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.trackingLookup.route, use: lookup)
        routes.get(Site.tracking.route, use: track)
        routes.get(Site.trackingOwnLink.route, use: ownLink)
        routes.post(Site.trackingFeedback.route, use: feedback)
        routes.post(Site.trackingAnswer.route, use: answer)
    }

    // MARK: Tracking

    struct TrackPage: Encodable {
        struct Entry: Encodable { var when: String; var iso: String; var state: String; var text: String? }
        var page: PageMeta
        var heading: String
        var code: String
        var category: String
        var area: String?
        var reported: String
        var description: String?
        var place: String?
        var status: String
        var statusClass: String
        var publicStatus: String
        var deadline: String?
        var answer: String?
        var history: [Entry]
        var form: FormView?
        var feedbackGiven: Bool
        var question: String?
        var ownLink: String?
        var ownLinkText: String?
        /// "This is my problem too": residents follow an open report of a public subject.
        var followHref: String?
    }

    struct LookupPage: Encodable { var page: PageMeta; var heading: String; var field: FieldView }

    func lookup(req: Request) async throws -> Response {
        let raw = req.query[String.self, at: "code"]
        var errors: [FieldError] = []
        if let raw {
            if let code = TrackingCode.normalise(raw) {
                if try await Signal.query(on: req.db).filter(\.$trackingCode == code).count() > 0 { return req.redirect(to: Site.tracking.link(code)) }
                errors.append(FieldError("code", "signal.track.unknownCode", [code]))
            } else {
                errors.append(FieldError("code", raw.isEmpty ? "signal.track.codeMissing" : "signal.track.codeFormat"))
            }
        }
        return try await Self.lookupPage(req, raw: raw, errors: errors)
    }

    /// The search form, with the code that was typed and what is wrong with it (also for an unknown code in the address).
    static func lookupPage(_ req: Request, raw: String?, errors: [FieldError]) async throws -> Response {
        let heading = req.t("signal.track.lookupHeading")
        return try await req.render("Signals/lookup", LookupPage(
            page: req.page(heading, errors: errors), heading: heading,
            field: FieldView(req, name: "code", label: req.t("signal.track.code"), value: raw ?? "", description: req.t("signal.track.codeHelp"), errors: errors)),
            status: errors.isEmpty ? .ok : (errors.contains { $0.key == "signal.track.unknownCode" } ? .notFound : .badRequest))
    }

    static func find(_ req: Request) async throws -> Signal {
        guard let code = TrackingCode.normalise(req.parameters.get("code") ?? ""),
              let signal = try await Signal.query(on: req.db).filter(\.$trackingCode == code).first() else { throw AppError.notFound("signal.track.unknown") }
        return signal
    }

    func track(req: Request) async throws -> Response {
        let typed = req.parameters.get("code") ?? ""
        guard let code = TrackingCode.normalise(typed), let signal = try await Signal.query(on: req.db).filter(\.$trackingCode == code).first() else {
            return try await Self.lookupPage(req, raw: typed, errors: [FieldError("code", TrackingCode.normalise(typed) == nil ? "signal.track.codeFormat" : "signal.track.unknownCode", [typed])])
        }
        // A link from an older mail with the key in the query: keep the key in a cookie, and show the page without it.
        if let key = req.query[String.self, at: "sleutel"] { return Self.rememberKey(req, signal, key: key) }
        return try await req.render("Signals/track", trackPage(req, signal, values: [:], errors: []))
    }

    /// The reporter's own link (`/melding/CODE/sleutel/KEY`, from the confirmation and every mail): the key goes
    /// into a cookie for this signal's pages only, and the browser is sent on to the page without the key, so
    /// it never stays in the address bar, the history or a Referer header.
    func ownLink(req: Request) async throws -> Response {
        Self.rememberKey(req, try await Self.find(req), key: req.parameters.get("key") ?? "")
    }

    static func ownLinkPath(_ signal: Signal) -> String { Site.trackingOwnLink.link(signal.trackingCode, signal.reporterKey ?? "") }

    static func keyCookie(_ signal: Signal) -> String { "wijkwerk_melder_" + signal.trackingCode }

    private static func rememberKey(_ req: Request, _ signal: Signal, key: String) -> Response {
        let response = req.redirect(to: Site.tracking.link(signal.trackingCode))
        if matches(signal, key: key) {
            response.cookies[keyCookie(signal)] = HTTPCookies.Value(string: key, maxAge: 400 * 86_400, path: Site.tracking.link(signal.trackingCode),
                                                                    isSecure: req.application.config.secureCookies || req.cameOverTLS, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    /// Whether the request comes from the reporter: their browser holds the signal's key (from their own link).
    static func isReporter(_ req: Request, _ signal: Signal) -> Bool {
        matches(signal, key: req.cookies[keyCookie(signal)]?.string)
    }

    private static func matches(_ signal: Signal, key: String?) -> Bool {
        guard let expected = signal.reporterKey, let key, key.count == expected.count else { return false }
        return constantTimeEqual(expected, key)
    }

    private func trackPage(_ req: Request, _ signal: Signal, values: [String: String], errors: [FieldError]) async throws -> TrackPage {
        let lang = req.language
        let reporter = Self.isReporter(req, signal)
        let category = try await signal.$category.get(on: req.db)
        let area = signal.areaID == nil ? nil : try await Area.find(signal.areaID, on: req.db)
        let events = try await SignalEvent.query(on: req.db).filter(\.$signal.$id == signal.requireID()).filter(\.$kind ~~ [SignalEvent.Kind.created, .state]).sort(\.$at).all()
        let history = events.map { e in
            TrackPage.Entry(when: Format.dateTime(e.at, lang), iso: Format.isoDate(e.at), state: req.t("signal.state." + (e.toState ?? "gemeld")), text: e.publicText)
        }
        let answer = signal.state.isClosed ? events.last { $0.toState == signal.state.rawValue }?.publicText : nil
        var feedbackForm: FormView? = nil
        var question: String? = nil
        if reporter && signal.state == .reactieGevraagd {
            question = events.last { $0.toState == SignalState.reactieGevraagd.rawValue }?.publicText
            feedbackForm = FormView(action: Site.trackingAnswer.link(signal.trackingCode), submitLabel: req.t("signal.answer.submit"), fields: [
                FieldView(req, name: "antwoord", label: req.t("signal.answer.label"), type: "textarea", value: values["antwoord"] ?? "",
                          description: req.t("signal.answer.help"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false)
        } else if reporter && signal.state == .afgehandeld && signal.feedbackAt == nil {
            feedbackForm = FormView(action: Site.trackingFeedback.link(signal.trackingCode), submitLabel: req.t("signal.feedback.submit"), fields: [
                FieldView(req, name: "tevreden", label: req.t("signal.feedback.question"), type: "radios", value: values["tevreden"] ?? "",
                          options: [(value: "ja", label: req.t("signal.feedback.yes")), (value: "nee", label: req.t("signal.feedback.no"))], errors: errors),
                FieldView(req, name: "toelichting", label: req.t("signal.feedback.explain"), type: "textarea", value: values["toelichting"] ?? "",
                          description: req.t("signal.feedback.explainHelp"), optional: true, errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false)
        }
        let heading = req.t("signal.track.heading", signal.trackingCode)
        return TrackPage(
            page: req.page(heading, errors: errors, status: req.takeFlash()), heading: heading, code: signal.trackingCode,
            category: category.name(lang), area: area?.name, reported: Format.dateTime(signal.reportedAt, lang),
            // What and where, for subjects that are public (never phone numbers or e-mail addresses; see PersonalData).
            description: category.isPublic ? PersonalData.masked(signal.text) : nil,
            place: category.isPublic ? signal.place.map { PersonalData.masked($0) } : nil,
            status: req.t("signal.state." + signal.state.rawValue), statusClass: signal.state.isClosed ? "success" : "neutral",
            publicStatus: req.t("signal.public." + signal.state.open311Status),
            deadline: signal.state.isClosed ? nil : signal.deadline.map { Format.day($0, lang) }, answer: answer, history: history,
            form: feedbackForm, feedbackGiven: signal.feedbackAt != nil, question: question,
            ownLink: reporter ? Self.ownLinkPath(signal) : nil, ownLinkText: reporter ? req.application.config.publicURL + Self.ownLinkPath(signal) : nil,
            followHref: !reporter && category.isPublic && !signal.state.isClosed ? Site.trackingFollow.link(signal.trackingCode) : nil)
    }

    /// The reporter answers the municipality's question; the signal moves to "reactie ontvangen".
    /// The answer is for staff only (it may hold personal details): it is stored as an internal note.
    func answer(req: Request) async throws -> Response {
        let signal = try await Self.find(req)
        let values = FormParts.read(req).values
        guard Self.isReporter(req, signal) else { throw AppError(status: .forbidden, key: "signal.track.keyMissing") }
        var errors: [FieldError] = []
        let text = Input.text(values["antwoord"], field: "antwoord", max: SignalRules.descriptionLimit).collect(into: &errors)
        if signal.state != .reactieGevraagd { throw AppError(status: .conflict, key: "signal.answer.notAsked") }
        guard errors.isEmpty, let text else {
            return try await req.render("Signals/track", trackPage(req, signal, values: values, errors: errors),
                                        status: errors.contains { $0.field == "formulier" } ? .forbidden : .unprocessableEntity)
        }
        do {
            try await SignalService.change(signal, expectedVersion: signal.version, to: .reactieOntvangen, publicText: nil, note: SignalService.reporterAnswerPrefix + text,
                                           user: nil, initiator: .system, at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
        } catch is SignalConflict {
            throw AppError(status: .conflict, key: "signal.conflict")
        }
        req.flash(req.t("signal.answer.thanks"))
        return req.redirect(to: Site.tracking.link(signal.trackingCode))
    }

    func feedback(req: Request) async throws -> Response {
        let signal = try await Self.find(req)
        let values = FormParts.read(req).values
        guard Self.isReporter(req, signal) else { throw AppError(status: .forbidden, key: "signal.track.keyMissing") }
        var errors: [FieldError] = []
        let answer = values["tevreden"]
        if answer != "ja" && answer != "nee" { errors.append(FieldError("tevreden", "signal.feedback.missing")) }
        let text = Input.text(values["toelichting"], field: "toelichting", max: 2000, required: false).collect(into: &errors)
        guard errors.isEmpty else {
            return try await req.render("Signals/track", trackPage(req, signal, values: values, errors: errors),
                                        status: errors.contains { $0.field == "formulier" } ? .forbidden : .unprocessableEntity)
        }
        let reopens = try await SignalService.feedback(signal, satisfied: answer == "ja", text: (text ?? "").isEmpty ? nil : text,
                                                       at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
        req.flash(req.t(reopens ? "signal.feedback.thanksReopen" : "signal.feedback.thanks"))
        return req.redirect(to: Site.tracking.link(signal.trackingCode))
    }
}
