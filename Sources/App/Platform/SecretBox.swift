import Vapor
import Crypto

/// Secrets Wijkwerk must read back (the two-step login secrets) are stored sealed with AES-GCM under a key that is
/// not in the database: WIJKWERK_SECRET_KEY (32 bytes, base64), or else `secret.key` in the data folder, made at the
/// first start and readable by the owner only. A copy of the database alone reveals none of them.
struct SecretBox: Sendable {
    private let key: SymmetricKey
    static let prefix = "v1:"

    init(key: SymmetricKey) { self.key = key }

    /// The key from the environment, or the data folder's key file (made when missing).
    static func load(configured: Data?, dataDirectory: String) throws -> SecretBox {
        if let configured { return SecretBox(key: SymmetricKey(data: configured)) }
        let path = dataDirectory + "/secret.key"
        let files = FileManager.default
        if let existing = files.contents(atPath: path), existing.count == 32 { return SecretBox(key: SymmetricKey(data: existing)) }
        try files.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        guard files.createFile(atPath: path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "cannot write \(path)")
        }
        return SecretBox(key: key)
    }

    func seal(_ plain: String) throws -> String {
        guard let combined = try AES.GCM.seal(Data(plain.utf8), using: key).combined else { throw Abort(.internalServerError) }
        return Self.prefix + combined.base64EncodedString()
    }

    /// The plain text of a sealed value; a value stored before sealing existed is returned as it is (and sealed at
    /// its next use); nil when the value was sealed under another key or changed.
    func open(_ stored: String) -> String? {
        guard stored.hasPrefix(Self.prefix) else { return stored }
        guard let data = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data), let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }
}

extension Application {
    private struct SecretBoxKey: StorageKey { typealias Value = SecretBox }
    var secretBox: SecretBox {
        get {
            guard let box = storage[SecretBoxKey.self] else { fatalError("configure(_:) sets the secret box") }
            return box
        }
        set { storage[SecretBoxKey.self] = newValue }
    }
}
