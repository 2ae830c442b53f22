import Vapor
import Fluent
import SQLKit

/// Mail waiting to be sent (architecture: an outbox table, delivered by a job; nothing is lost when mail is down).
final class OutgoingMail: Model, @unchecked Sendable {
    static let schema = "mail_outbox"
    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// The address that stops this kind of mail (sent as `List-Unsubscribe` with one-click, RFC 8058).
    @OptionalField(key: "list_unsubscribe") var listUnsubscribe: String?
    init() {}
}

/// The mail outbox: features enqueue inside their own transaction; a job delivers, through `sendmail`
/// (WIJKWERK_SENDMAIL) or, without it, as .eml files in WIJKWERK_MAIL_DIR for development.
enum Outbox {
    static func enqueue(to recipient: String, subject: String, body: String, unsubscribe: String? = nil, at now: Date, on db: any Database) async throws {
        let mail = OutgoingMail()
        mail.listUnsubscribe = unsubscribe
        mail.recipient = recipient
        mail.subject = subject
        mail.body = body
        mail.createdAt = now
        mail.attempts = 0
        try await mail.create(on: db)
    }

    /// Sends what is waiting (at most `limit`); each mail is claimed with a conditional update first, so two
    /// instances never send the same one. Returns how many were sent.
    static func deliver(app: Application, now: Date, limit: Int = 200) async throws -> Int {
        let db = app.db
        guard let sql = db as? any SQLDatabase else { return 0 }
        let waiting = try await OutgoingMail.query(on: db).filter(\.$sentAt == nil).filter(\.$attempts < 5)
            .sort(\.$createdAt).limit(limit).all()
        var sent = 0
        for mail in waiting {
            let id = try mail.requireID()
            let claimed = try await sql.raw("UPDATE mail_outbox SET attempts = attempts + 1 WHERE id = \(bind: id) AND attempts = \(bind: mail.attempts) AND sent_at IS NULL RETURNING id").all()
            guard claimed.count == 1 else { continue }
            do {
                try send(mail, config: app.config)
                try await sql.raw("UPDATE mail_outbox SET sent_at = \(bind: now), last_error = NULL WHERE id = \(bind: id)").run()
                sent += 1
            } catch {
                try await sql.raw("UPDATE mail_outbox SET last_error = \(bind: String(describing: error)) WHERE id = \(bind: id)").run()
            }
        }
        return sent
    }

    /// Sent mail holds addresses: it is removed after 30 days.
    static func purge(now: Date, on db: any Database) async throws {
        try await OutgoingMail.query(on: db).filter(\.$sentAt < now.addingTimeInterval(-30 * 86_400)).delete()
    }

    static func message(_ mail: OutgoingMail) -> String {
        let subject = "=?UTF-8?B?" + Data(mail.subject.utf8).base64EncodedString() + "?="
        return """
        To: \(mail.recipient)\r
        From: Wijkwerk <noreply@wijkwerk.invalid>\r
        Subject: \(subject)\r
        \(mail.listUnsubscribe.map { "List-Unsubscribe: <\($0)>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" } ?? "")MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: 8bit\r
        \r
        \(mail.body.replacingOccurrences(of: "\n", with: "\r\n"))\r

        """
    }

    struct SendFailed: Error, CustomStringConvertible { var description: String }

    static func send(_ mail: OutgoingMail, config: AppConfig) throws {
        let text = message(mail)
        if let sendmail = config.sendmail {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sendmail)
            process.arguments = ["-t", "-i"]
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(text.utf8))
            try pipe.fileHandleForWriting.close()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw SendFailed(description: "sendmail exited with \(process.terminationStatus)") }
        } else {
            try FileManager.default.createDirectory(atPath: config.mailDirectory, withIntermediateDirectories: true)
            let name = "\(Int(mail.createdAt.timeIntervalSince1970))-\(mail.id?.uuidString ?? UUID().uuidString).eml"
            try Data(text.utf8).write(to: URL(fileURLWithPath: config.mailDirectory).appendingPathComponent(name))
        }
    }
}
