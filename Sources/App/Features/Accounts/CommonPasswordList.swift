import Vapor
import Domain

extension CommonPasswords {
    /// The bundled list (`Resources/Seed/common-passwords.txt`, one password a line).
    static func load(from path: String) throws -> CommonPasswords {
        guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw Abort(.internalServerError, reason: "The list of common passwords is missing: \(path)")
        }
        return CommonPasswords(text.split(whereSeparator: \.isNewline).map(String.init))
    }
}

extension Application {
    private struct CommonPasswordsKey: StorageKey { typealias Value = CommonPasswords }
    var commonPasswords: CommonPasswords {
        get { storage[CommonPasswordsKey.self] ?? .empty }
        set { storage[CommonPasswordsKey.self] = newValue }
    }
}
