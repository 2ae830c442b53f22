import Vapor
import Fluent
import SQLKit
import Domain

/// Admin: Open311 API keys of a municipality, issued (shown once) and revoked, on the signals admin page.
struct Open311KeysAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let s = routes.access(.action(.administer))
        s.post(Site.adminSignals("open311").route, use: createKey)
        s.post(Site.adminSignals("open311", ":key", "intrekken").route, use: revokeKey)
    }

    // MARK: Open311 keys

    func createKey(req: Request) async throws -> Response {
        let (m, mid) = try await SignalsAdminController.load(req)
        let form = req.form(SignalsAdminController.KeyForm())
        do {
            var errors: [FieldError] = []
            let name = Input.text(form.name, field: "name", max: 120).collect(into: &errors)
            guard errors.isEmpty, let name else { throw ValidationFailure(errors) }
            let plain = try await req.db.writeTransaction { db in
                let (key, plain) = try await Open311Key.issue(municipality: mid, name: name, at: req.application.clock(), on: db)
                try await req.audit(.open311KeyCreate, .init(id: key.id?.uuidString, summary: name, municipalityID: mid), after: key.snapshot, on: db)
                return plain
            }
            // Shown once, on this answer only (not stored in the session or anywhere else).
            return try await req.render("Admin/signals", try await SignalsAdminController().page(req, m, newKey: plain), status: .created)
        } catch let failure as ValidationFailure {
            return try await SignalsAdminController().redisplay(req, m, failure, key: form)
        }
    }

    func revokeKey(req: Request) async throws -> Response {
        let (m, mid) = try await SignalsAdminController.load(req)
        guard let id = req.parameters.get("key", as: UUID.self), let key = try await Open311Key.find(id, on: req.db), key.$municipality.id == mid else { throw AppError.notFound() }
        if key.revokedAt == nil {
            key.revokedAt = req.application.clock()
            try await req.db.writeTransaction { db in
                try await key.update(on: db)
                try await req.audit(.open311KeyRevoke, .init(id: id.uuidString, summary: key.name, municipalityID: mid),
                                    before: ["revokedAt": "–"], after: key.snapshot, on: db)
            }
        }
        req.flash(req.t("admin.signals.keyRevoked", key.name))
        return req.redirect(to: SignalsAdminController.path(m))
    }
}
