import Vapor
import Fluent
import Domain

/// Mail about initiatives, through the outbox (which removes sent mail after 30 days): the initiators' own link,
/// news of each step for them, and a note to the area's coordinators when an initiative comes in.
enum InitiativeMailer {
    static func publicURL(_ req: Request) -> String { req.application.config.publicURL }

    static func ownLink(_ i: Initiative, key: String, req: Request, on db: any Database) async throws {
        let m = try await Municipality.find(i.$municipality.id, on: db)
        let link = publicURL(req) + Site.initiativeOwnLink.link(m?.slug ?? "", i.code, key)
        try await Outbox.enqueue(to: i.contactEmail, subject: req.t("initiative.mail.ownLinkSubject", i.code),
                                 body: req.t("initiative.mail.ownLinkBody", i.contactName, i.title, i.code, link), at: req.application.clock(), on: db)
    }

    static func statusChanged(_ i: Initiative, text: String?, req: Request, on db: any Database) async throws {
        let m = try await Municipality.find(i.$municipality.id, on: db)
        let link = publicURL(req) + Site.initiative.link(m?.slug ?? "", i.code)
        let status = req.application.localizer.text("initiative.status." + i.status.rawValue, .nl)
        try await Outbox.enqueue(to: i.contactEmail, subject: req.application.localizer.text("initiative.mail.statusSubject", .nl, [i.code, status]),
                                 body: req.application.localizer.text("initiative.mail.statusBody", .nl, [i.contactName, i.title, status, text ?? "–", link]),
                                 at: req.application.clock(), on: db)
    }

    static func toCoordinators(_ i: Initiative, req: Request, on db: any Database) async throws {
        let coordinators = try await StaffDirectory.people(with: .areaCoordinator, municipality: i.$municipality.id, area: i.$area.id, department: nil, on: db)
        let link = publicURL(req) + Site.initiativeWorkItem.link(i.id?.uuidString ?? "")
        for person in coordinators {
            try await Outbox.enqueue(to: person.email, subject: req.application.localizer.text("initiative.mail.newSubject", .nl, [i.code]),
                                     body: req.application.localizer.text("initiative.mail.newBody", .nl, [i.title, link]), at: req.application.clock(), on: db)
        }
    }
}
