import Foundation

/// Time-based one-time passwords (RFC 6238, with HOTP of RFC 4226): the six digits an authenticator app shows,
/// from a shared secret and the time in steps of 30 seconds. HMAC-SHA1, as every authenticator app supports.
public enum TOTP {
    public static let step: TimeInterval = 30
    public static let digits = 6
    /// Codes of one step before and after are accepted too (clocks drift; typing takes time).
    public static let window: Int64 = 1

    public static func counter(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / step).rounded(.down)) }

    /// The HOTP value of a counter (RFC 4226 §5.3: dynamic truncation), `digits` long with leading zeros.
    public static func code(secret: [UInt8], counter: Int64, digits: Int = TOTP.digits) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        var c = UInt64(bitPattern: counter)
        for i in (0..<8).reversed() { message[i] = UInt8(c & 0xFF); c >>= 8 }
        let mac = HMACSHA1.mac(key: secret, message: message)
        let offset = Int(mac[19] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: max(0, digits - value.count)) + value
    }

    /// The counter a typed code belongs to, within the window around `date`, if it is newer than the last one
    /// used (a code works once: a replayed or older code is refused). Spaces in the code are ignored.
    public static func verify(_ typed: String, secret: [UInt8], at date: Date, lastUsed: Int64?) -> Int64? {
        let code = typed.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = counter(at: date)
        for candidate in (now - window)...(now + window) where candidate > (lastUsed ?? Int64.min) {
            if constantTimeEquals(TOTP.code(secret: secret, counter: candidate), code) { return candidate }
        }
        return nil
    }

    /// The address authenticator apps read (Key Uri Format): issuer and account, the secret in base32.
    public static func uri(secret: [UInt8], account: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let label = (issuer + ":" + account).addingPercentEncoding(withAllowedCharacters: allowed) ?? account
        let issuerParam = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParam)&algorithm=SHA1&digits=\(digits)&period=\(Int(step))"
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// Recovery codes: ten one-time codes to log in when the phone is lost, shown once ("k7q2-m9x4"); stored hashed.
public enum RecoveryCodes {
    public static let count = 10
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// Ten codes of eight characters from an unambiguous alphabet (no 0/o, 1/l/i), as "xxxx-xxxx".
    public static func generate(using random: inout some RandomNumberGenerator) -> [String] {
        (0..<count).map { _ in
            let chars = (0..<8).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            return String(chars[0..<4]) + "-" + String(chars[4..<8])
        }
    }

    /// What was typed, in the stored form: lower case, without spaces or dashes; nil when it cannot be a code.
    public static func normalise(_ typed: String) -> String? {
        let s = typed.lowercased().filter { !$0.isWhitespace && $0 != "-" }
        guard s.count == 8, s.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return s
    }
}

/// RFC 4648 base32 without padding, as authenticator apps expect secrets.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = "", buffer = 0, bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b); bits += 8
            while bits >= 5 { out.append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5 }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = [], buffer = 0, bits = 0
        for ch in text.uppercased() where ch != "=" && !ch.isWhitespace {
            guard let v = alphabet.firstIndex(of: ch) else { return nil }
            buffer = (buffer << 5) | v; bits += 5
            if bits >= 8 { out.append(UInt8((buffer >> (bits - 8)) & 0xFF)); bits -= 8 }
        }
        return out
    }
}

/// HMAC (RFC 2104) over SHA-1 (FIPS 180-4), small and pure, for HOTP/TOTP only.
public enum HMACSHA1 {
    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? sha1(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        let inner = sha1(k.map { $0 ^ 0x36 } + message)
        return sha1(k.map { $0 ^ 0x5C } + inner)
    }

    public static func sha1(_ data: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        var message = data
        let bitLength = UInt64(data.count) * 8
        message.append(0x80)
        while message.count % 64 != 56 { message.append(0) }
        for i in (0..<8).reversed() { message.append(UInt8((bitLength >> (UInt64(i) * 8)) & 0xFF)) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: message.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(message[j]) << 24 | UInt32(message[j + 1]) << 16 | UInt32(message[j + 2]) << 8 | UInt32(message[j + 3])
            }
            for i in 16..<80 { let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]; w[i] = (x << 1) | (x >> 31) }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]
            for i in 0..<80 {
                let (f, k): (UInt32, UInt32)
                switch i {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A827999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1BBCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62C1D6)
                }
                let t = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[i]
                e = d; d = c; c = (b << 30) | (b >> 2); b = a; a = t
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        return h.flatMap { v in [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    }
}
