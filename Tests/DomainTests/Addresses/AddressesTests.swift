import Testing
import Foundation
@testable import Domain

@Suite("Addresses: queries, the register file, the national grid and the Locatieserver answer")
struct AddressesTests {
    @Test func postcodes() {
        #expect(Postcode.normalise("5341 ab") == "5341AB")
        #expect(Postcode.normalise(" 5341AB ") == "5341AB")
        #expect(Postcode.normalise("0341AB") == nil)
        #expect(Postcode.normalise("5341A") == nil)
        #expect(Postcode.normalise("53415B") == nil)
        #expect(Postcode.display("5341AB") == "5341 AB")
    }

    @Test func readsWhatResidentsType() {
        #expect(AddressQuery.parse("5341 AB 12") == .postcode("5341AB", number: 12, addition: ""))
        #expect(AddressQuery.parse("5341ab12-a") == .postcode("5341AB", number: 12, addition: "A"))
        #expect(AddressQuery.parse("5341AB 12 bis") == .postcode("5341AB", number: 12, addition: "BIS"))
        #expect(AddressQuery.parse("Kerkstraat 12a, Oss") == .street("Kerkstraat", number: 12, addition: "A", place: "Oss"))
        #expect(AddressQuery.parse("Burg. van den Elsenstraat 3") == .street("Burg. van den Elsenstraat", number: 3, addition: "", place: nil))
        #expect(AddressQuery.parse("Kerkstraat 12 A") == .street("Kerkstraat", number: 12, addition: "A", place: nil))
        let a2 = AddressMatch(street: "Kerkstraat", number: 14, addition: "A-2", postcode: "5341AB", place: "Oss", position: Position(lon: 5.5, lat: 51.7))
        #expect(a2.query == "5341AB 14-A-2" && AddressQuery.parse(a2.query) == .postcode("5341AB", number: 14, addition: "A-2"), "a choice finds its address again")
        #expect(AddressQuery.parse("kerkstraat") == .street("kerkstraat", number: nil, addition: "", place: nil))
        #expect(AddressQuery.parse("5341AB") == nil, "a postcode without a number is not an address")
        #expect(AddressQuery.parse("   ") == nil)
        #expect(AddressQuery.parse("12") == nil)
        #expect(AddressQuery.parse(String(repeating: "a", count: 121)) == nil)
        #expect(AddressQuery.parse("Kerkstraat\n12") == nil)
    }

    @Test func namesCompareWithoutAccentsOrPunctuation() {
        #expect(AddressQuery.key("'s-Hertogenbosch") == "s hertogenbosch")
        #expect(AddressQuery.key("Burg. van den  Elsenstraat") == "burg van den elsenstraat")
        #expect(AddressQuery.key("Rue Café") == "rue cafe")
    }

    @Test func nationalGridToWGS84() throws {
        let origin = try #require(RDCoordinates.toWGS84(x: 155_000, y: 463_000))
        #expect(abs(origin.lat - 52.15517440) < 1e-9 && abs(origin.lon - 5.38720621) < 1e-9)
        // The Westertoren in Amsterdam, a published reference point of the national grid.
        let wester = try #require(RDCoordinates.toWGS84(x: 120_700.723, y: 487_525.501))
        #expect(abs(wester.lat - 52.37453) < 0.00002 && abs(wester.lon - 4.88353) < 0.00002)
        #expect(RDCoordinates.toWGS84(x: -5, y: 400_000) == nil)
        #expect(RDCoordinates.toWGS84(x: .nan, y: 400_000) == nil)
    }

    @Test func readsARegisterAndReportsBadRowsByLine() {
        let text = """
        postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;x;y
        5341 AB;12;a;;Kerkstraat;Oss;164000;418500
        5341AB;14;;2;Kerkstraat;Oss;164010;418510
        9999;1;;;Nergensweg;Oss;164000;418500
        5341AB;nul;;;Kerkstraat;Oss;164000;418500
        5341AB;16;;;Kerkstraat;Oss;1;2
        5341AB;18;;;;Oss;164000;418500
        5341AB;20;;;Kerkstraat;Oss
        """
        let report = AddressFile.parse(text)
        #expect(report.rows.map(\.address.label) == ["Kerkstraat 12A, 5341 AB Oss", "Kerkstraat 14-2, 5341 AB Oss"])
        #expect(report.rows.map(\.line) == [2, 3])
        #expect(report.problems.map(\.line) == [4, 5, 6, 7, 8])
        #expect(report.problems.map(\.key) == ["address.problem.postcode", "address.problem.number", "address.problem.coordinates",
                                               "address.problem.name", "address.problem.cells"])
        let oss = report.rows[0].address.position
        #expect((51.7...51.8).contains(oss.lat) && (5.4...5.6).contains(oss.lon))
    }

    @Test func wgs84ColumnsAndMissingColumns() {
        let ok = AddressFile.parse("postcode,huisnummer,straatnaam,woonplaatsnaam,lat,lon\n4901AA,1,Markt,Oosterhout,\"51,6432\",4.8601\n")
        #expect(ok.problems.isEmpty)
        #expect(ok.rows.first?.address.position == Position(lon: 4.8601, lat: 51.6432))
        let missing = AddressFile.parse("postcode,nummer,plaats\n")
        #expect(missing.problems.first?.key == "address.problem.columns")
        #expect(missing.problems.first?.detail.contains("straat") == true)
        #expect(missing.problems.first?.detail.contains("lat/lon or x/y") == true)
        #expect(AddressFile.parse("").problems.first?.key == "address.problem.empty")
    }

    @Test func readsTheLocatieserverAnswer() {
        let json = """
        {"response":{"numFound":3,"start":0,"maxScore":9.1,"numFoundExact":3,"docs":[
          {"type":"adres","weergavenaam":"Kerkstraat 12A, 5341AB Oss","straatnaam":"Kerkstraat","huisnummer":12,"huisletter":"A",
           "postcode":"5341AB","woonplaatsnaam":"Oss","centroide_ll":"POINT(5.52571 51.76532)","score":9.1},
          {"type":"adres","straatnaam":"Kerkstraat","huisnummer":14,"huisnummertoevoeging":"2","postcode":"5341AB","woonplaatsnaam":"Oss",
           "centroide_ll":"POINT(5.5258 51.7654)"},
          {"type":"weg","weergavenaam":"Kerkstraat, Oss","centroide_ll":"POINT(5.5 51.7)"}]}}
        """
        let matches = Locatieserver.matches(Data(json.utf8))
        #expect(matches?.map(\.label) == ["Kerkstraat 12A, 5341 AB Oss", "Kerkstraat 14-2, 5341 AB Oss"])
        #expect(matches?.first?.position == Position(lon: 5.52571, lat: 51.76532))
        #expect(Locatieserver.matches(Data("<html>".utf8)) == nil)
        #expect(Locatieserver.point("POINT(500 1)") == nil)
        #expect(Locatieserver.query("5341AB 12").contains { $0 == ("fq", "type:adres") })
    }
}
