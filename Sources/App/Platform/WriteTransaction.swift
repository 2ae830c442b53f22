import Fluent
import SQLKit

extension Database {
    /// A transaction that writes. On SQLite it takes the write lock at its start (a no-op UPDATE), so two writers
    /// queue behind SQLite's busy handler instead of deadlocking when both read before they write, which SQLite
    /// answers with "database is locked" at once (a 500 for one of two parallel clicks). On PostgreSQL it is a
    /// plain transaction.
    func writeTransaction<T: Sendable>(_ closure: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { db in
            if let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" {
                try await sql.raw("UPDATE _fluent_migrations SET name = name WHERE 0").run()
            }
            return try await closure(db)
        }
    }
}
