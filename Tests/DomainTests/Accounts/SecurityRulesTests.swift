import Testing
import Foundation
@testable import Domain

@Suite("Return paths after login")
struct ReturnPathTests {
    @Test(arguments: ["/", "/beheer", "/werk/meldingen?status=open&pagina=2", "/gemeenten/oss/gebieden/ruwaard", "/zoek?q=caf%C3%A9"])
    func accepted(path: String) {
        #expect(ReturnPath.validated(path) == path)
    }

    @Test(arguments: [
        "/\r\nSet-Cookie: injected=1; Path=/", "/\r\n\r\n<html>", "/\n", "/%0d%0aSet-Cookie:%20x=1", "/%250d%250a",
        "/\t/evil.example/", "/%09/evil.example/", "//evil.example/", "/\\evil.example", "/%5Cevil.example", "/%2F%2Fevil.example",
        "/%252F%252Fevil.example", "https://evil.example/", "javascript:alert(1)", "evil.example", "", " /beheer", "/be heer", "/a%20b",
        "/\u{0}", "/\u{202E}x", "/%E2%80%AEx",
    ])
    func refused(path: String) {
        #expect(ReturnPath.validated(path) == nil, "\(path.debugDescription) must not be followed")
    }
}

@Suite("Personal data in free text")
struct PersonalDataTests {
    @Test(arguments: [
        ("bel mij op 0612345678 of mail jan.jansen@example.nl", "bel mij op […] of mail […]"),
        ("Tel 06-12345678.", "Tel […]."),
        ("06 1234 5678", "[…]"),
        ("bereikbaar op +31 6 12345678 overdag", "bereikbaar op […] overdag"),
        ("+31(0)612345678", "[…]"),
        ("010-1234567 (kantoor)", "[…] (kantoor)"),
        ("0031 412 123456", "[…]"),
        ("mail naar A.B@Sub.Oss.NL.", "mail naar […]."),
        ("mijn BSN is 111222333.", "mijn BSN is […]."),
        ("bsn 1234.56.782 graag", "bsn […] graag"),
        ("BSN: 123 456 782", "BSN: […]"),
        ("betaal naar NL91 ABNA 0417 1643 00 of NL91ABNA0417164300.", "betaal naar […] of […]."),
        ("rekening nl91abna0417164300", "rekening […]"),
    ])
    func masks(text: String, expected: String) {
        #expect(PersonalData.masked(text) == expected)
        #expect(PersonalData.contains(in: text))
    }

    @Test(arguments: [
        "Lantaarnpaal 12 bij huisnummer 5341 AB is kapot",
        "Sinds 12-11-2026 ligt er afval",
        "Al 3 weken, ongeveer 20 zakken",
        "Buurtcode BU08280001 en wijk 12",
        "twitter @gemeente_oss",
        "e-mail@ zonder domein",
        "ordernummer 123456789 en 1234567890",
        "NL12 ABCD 1234 5678 90 is geen geldig rekeningnummer",
        "NL91ABNA0417164301",
    ])
    func leavesOrdinaryTextAlone(text: String) {
        #expect(PersonalData.masked(text) == text)
    }

    @Test func checksNumbersLikeTheirIssuers() {
        #expect(PersonalData.isBSN([1, 1, 1, 2, 2, 2, 3, 3, 3]))
        #expect(!PersonalData.isBSN([1, 1, 1, 2, 2, 2, 3, 3, 4]))
        #expect(!PersonalData.isBSN([0, 0, 0, 0, 0, 0, 0, 0, 0]), "all zeros passes the sum but is no number")
        #expect(PersonalData.isIBAN("NL91ABNA0417164300"))
        #expect(PersonalData.isIBAN("GB82WEST12345698765432"))
        #expect(!PersonalData.isIBAN("NL91ABNA0417164301"))
        #expect(PersonalData.findings(in: "NL91ABNA0417164300 en 111222333").map(\.kind) == [.iban, .bsn])
    }
}

@Suite("Password strength and e-mail grammar")
struct PasswordStrengthTests {
    let common = CommonPasswords(["password", "wachtwoord", "welkom", "qwerty123456", "iloveyou"])

    @Test(arguments: [
        ("aaaaaaaaaaaa", "password.repeated"), ("abcabcabcabc", "password.repeated"), ("121212121212", "password.digitsOnly"),
        ("123456789012", "password.digitsOnly"), ("qwertyuiop12", "password.sequence"), ("abcdefghijkl", "password.sequence"),
        ("lkjhgfdsa!!!", "password.sequence"), ("Wachtwoord2026!", "password.common"), ("password123456", "password.common"),
        ("QWERTY123456", "password.sequence"), ("iloveyou!!!!", "password.common"),
    ])
    func refused(password: String, key: String) {
        #expect(Credentials.validatePassword(password, common: common)?.key == key)
    }

    @Test(arguments: ["Test-wachtwoord-123", "lang-genoeg-wachtwoord", "paars fietsje op de dijk", "Kz8#vQ2!mWp4"])
    func accepted(password: String) {
        #expect(Credentials.validatePassword(password, common: common) == nil)
    }

    @Test(arguments: ["a\"b@oss.nl", "<a@oss.nl>", "a@oss.nl\r\nBcc: x@evil.nl", "a,b@oss.nl", "a;b@oss.nl", "a(b)@oss.nl", "a\\b@oss.nl", "a@oss..nl", "a\u{7}@oss.nl"])
    func unsafeAddressesRefused(raw: String) {
        guard case .failure(let e) = Credentials.normaliseEmail(raw) else { Issue.record("accepted \(raw.debugDescription)"); return }
        #expect(e.key == "email.format")
    }

    @Test func apostropheAndPlusAllowed() {
        #expect((try? Credentials.normaliseEmail("o'brien+wijk@oss.nl").get()) == "o'brien+wijk@oss.nl")
    }

    @Test func attemptsAreReservedBeforeThePasswordIsChecked() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var t = LoginThrottle()
        for i in 0..<5 {
            guard let next = t.reservingAttempt(at: start.addingTimeInterval(Double(i))) else { Issue.record("attempt \(i + 1) refused"); return }
            t = next
        }
        #expect(t.isLocked(at: start.addingTimeInterval(5)))
        #expect(t.reservingAttempt(at: start.addingTimeInterval(6)) == nil, "the sixth attempt is not checked at all")
        #expect(t.reservingAttempt(at: start.addingTimeInterval(4 + 15 * 60 + 1)) != nil, "after the lock a new attempt counts again")
    }
}

@Suite("CSV that spreadsheets open safely")
struct CSVWriterTests {
    @Test(arguments: [("=SUM(A1:A2)", "'=SUM(A1:A2)"), ("+31612345678", "'+31612345678"), ("-2", "'-2"), ("@cmd", "'@cmd"),
                      ("gewoon", "gewoon"), ("a,b", "\"a,b\""), ("zei \"hoi\"", "\"zei \"\"hoi\"\"\""), ("regel\nnog een", "\"regel\nnog een\"")])
    func cells(value: String, expected: String) {
        #expect(CSVWriter.cell(value) == expected)
    }

    @Test func aDocumentReadsBackAsWritten() {
        let doc = CSVWriter.document(header: ["code", "tekst"], rows: [["SIG-1", "a, b"], ["SIG-2", "=1+1"]])
        #expect(doc.hasPrefix("code,tekst\r\n"))
        #expect(CSV.rows(doc.replacingOccurrences(of: "\r\n", with: "\n")) == [["code", "tekst"], ["SIG-1", "a, b"], ["SIG-2", "'=1+1"]])
    }
}
