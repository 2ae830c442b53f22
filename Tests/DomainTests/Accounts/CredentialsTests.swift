import Testing
import Foundation
@testable import Domain

@Suite("Credentials and lockout")
struct CredentialsTests {
    @Test(arguments: [
        (" Anne@Oss.NL ", "anne@oss.nl", nil as String?),
        ("", nil, "email.empty"),
        ("anne", nil, "email.format"),
        ("anne@oss", nil, "email.format"),
        ("an ne@oss.nl", nil, "email.format"),
        ("@oss.nl", nil, "email.format"),
        ("a@b@oss.nl", nil, "email.format"),
    ] as [(String, String?, String?)])
    func emails(raw: String, expected: String?, error: String?) {
        switch Credentials.normaliseEmail(raw) {
        case .success(let e): #expect(e == expected)
        case .failure(let e): #expect(e.key == error)
        }
    }

    @Test func passwords() {
        #expect(Credentials.validatePassword("kort")?.key == "password.tooShort")
        #expect(Credentials.validatePassword("lang-genoeg-wachtwoord") == nil)
        #expect(Credentials.validatePassword(String(repeating: "é", count: 40))?.key == "password.tooLong", "80 bytes: bcrypt would ignore the rest")
    }

    @Test func locksAfterFiveFailuresWithinTheWindow() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var t = LoginThrottle()
        for i in 0..<4 {
            t = t.recordingFailure(at: start.addingTimeInterval(Double(i) * 60))
            #expect(!t.isLocked(at: start.addingTimeInterval(Double(i) * 60)))
        }
        t = t.recordingFailure(at: start.addingTimeInterval(240))
        #expect(t.isLocked(at: start.addingTimeInterval(241)))
        #expect(t.minutesLocked(at: start.addingTimeInterval(241)) == 15)
        #expect(!t.isLocked(at: start.addingTimeInterval(240 + 15 * 60 + 1)), "the lock ends after 15 minutes")
    }

    @Test func failuresOutsideTheWindowStartOver() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var t = LoginThrottle()
        for i in 0..<4 { t = t.recordingFailure(at: start.addingTimeInterval(Double(i))) }
        t = t.recordingFailure(at: start.addingTimeInterval(16 * 60))
        #expect(t.failures == 1)
        #expect(!t.isLocked(at: start.addingTimeInterval(16 * 60)))
    }
}
