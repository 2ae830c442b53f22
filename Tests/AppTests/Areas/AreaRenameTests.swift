import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Renamed areas keep their old addresses")
struct AreaRenameTests {
    @Test func oldLinksMovePermanentlyToTheNewAddress() async throws {
        try await withApp { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let ruwaard = try await Fixture.area(app, "ruwaard")
            let renamed = try await admin.submit("/beheer/gemeenten/oss/gebieden/\(ruwaard.requireID())", [("name", "Ruwaard en Vorstengrafdonk"), ("kind", "neighbourhood")])
            #expect(renamed.status == .seeOther)
            let visitor = TestBrowser(app)
            for suffix in ["", "/raad", "/melden?categorie=bestrating", "/vergaderingen.ics"] {
                let old = try await visitor.get("/gemeenten/oss/gebieden/ruwaard" + suffix)
                #expect(old.status == .movedPermanently, "\(suffix)")
                #expect(old.headers.first(name: .location) == "/gemeenten/oss/gebieden/ruwaard-en-vorstengrafdonk" + suffix)
            }
            #expect(try await visitor.get("/gemeenten/oss/gebieden/ruwaard-en-vorstengrafdonk").status == .ok)
            #expect(try await visitor.get("/gemeenten/oss/gebieden/bestaat-niet").status == .notFound)
            // Renamed back: the name is the area's own again, no redirect loop.
            _ = try await admin.submit("/beheer/gemeenten/oss/gebieden/\(ruwaard.requireID())", [("name", "Ruwaard"), ("kind", "neighbourhood")])
            #expect(try await visitor.get("/gemeenten/oss/gebieden/ruwaard").status == .ok)
            #expect(try await visitor.get("/gemeenten/oss/gebieden/ruwaard-en-vorstengrafdonk").status == .movedPermanently)
        }
    }
}
