import Testing
import Foundation
@testable import Domain

@Suite("Two-step login: SHA-1, HMAC, HOTP/TOTP vectors, replay, base32, recovery codes")
struct TOTPTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha1AndHMACMatchTheStandards() {
        #expect(Self.hex(HMACSHA1.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Self.hex(HMACSHA1.sha1([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Self.hex(HMACSHA1.sha1(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        // RFC 2202 test case 2 and 6 (a key longer than a block).
        #expect(Self.hex(HMACSHA1.mac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        #expect(Self.hex(HMACSHA1.mac(key: [UInt8](repeating: 0xAA, count: 80), message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    @Test func hotpAndTotpVectorsOfTheRFCs() {
        let secret = Array("12345678901234567890".utf8)
        // RFC 4226 appendix D.
        let hotp = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        for (i, expected) in hotp.enumerated() { #expect(TOTP.code(secret: secret, counter: Int64(i)) == expected) }
        // RFC 6238 appendix B (SHA-1, eight digits).
        let totp: [(TimeInterval, String)] = [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                                              (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")]
        for (time, expected) in totp {
            #expect(TOTP.code(secret: secret, counter: TOTP.counter(at: Date(timeIntervalSince1970: time)), digits: 8) == expected)
        }
    }

    @Test func aCodeWorksOnceWithinTheWindow() {
        let secret = Array("12345678901234567890".utf8)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let c = TOTP.counter(at: now)
        let code = TOTP.code(secret: secret, counter: c)
        #expect(TOTP.verify(code, secret: secret, at: now, lastUsed: nil) == c)
        #expect(TOTP.verify(String(code.prefix(3)) + " " + String(code.suffix(3)), secret: secret, at: now, lastUsed: nil) == c, "typed with a space")
        #expect(TOTP.verify(code, secret: secret, at: now, lastUsed: c) == nil, "a replayed code is refused")
        #expect(TOTP.verify(TOTP.code(secret: secret, counter: c - 1), secret: secret, at: now, lastUsed: nil) == c - 1, "the previous step still counts")
        #expect(TOTP.verify(TOTP.code(secret: secret, counter: c - 1), secret: secret, at: now, lastUsed: c) == nil, "an older code after a newer one is refused")
        #expect(TOTP.verify(TOTP.code(secret: secret, counter: c - 2), secret: secret, at: now, lastUsed: nil) == nil, "a minute old is too old")
        #expect(TOTP.verify(TOTP.code(secret: secret, counter: c + 2), secret: secret, at: now, lastUsed: nil) == nil)
        #expect(TOTP.verify("12345", secret: secret, at: now, lastUsed: nil) == nil)
        #expect(TOTP.verify("abcdef", secret: secret, at: now, lastUsed: nil) == nil)
    }

    @Test func base32RoundTripsAndTheURIIsWhatAppsRead() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("1") == nil)
        var g = SeededRandom(seed: 7)
        for n in [1, 10, 20, 33] {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        }
        let uri = TOTP.uri(secret: Array("12345678901234567890".utf8), account: "anne@oss.nl", issuer: "Wijkwerk Oss")
        #expect(uri == "otpauth://totp/Wijkwerk%20Oss%3Aanne@oss.nl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Wijkwerk%20Oss&algorithm=SHA1&digits=6&period=30")
    }

    @Test func recoveryCodesAreDistinctAndReadable() {
        var g = SeededRandom(seed: 42)
        let codes = RecoveryCodes.generate(using: &g)
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 9 && $0.dropFirst(4).first == "-" })
        #expect(RecoveryCodes.normalise(codes[0].uppercased()) == codes[0].replacingOccurrences(of: "-", with: ""))
        #expect(RecoveryCodes.normalise("abcd-efg0") == nil, "0 is not in the alphabet")
        #expect(RecoveryCodes.normalise("abc") == nil)
    }
}
