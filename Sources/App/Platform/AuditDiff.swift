import Vapor
import Fluent

/// Turns the JSON before/after of an audit entry into readable changes: one line per field that changed,
/// with ids of areas, municipalities and departments replaced by their names.
enum AuditDiff {
    struct Change: Encodable { var field: String; var before: String; var after: String }

    static func object(_ json: String?) -> [String: Any]? {
        guard let json, let data = json.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// Every UUID that appears in the values, to look up their names in one go.
    static func ids(in objects: [[String: Any]]) -> Set<UUID> {
        var found: Set<UUID> = []
        func visit(_ value: Any) {
            if let s = value as? String, let id = UUID(uuidString: s) { found.insert(id) }
            if let list = value as? [Any] { list.forEach(visit) }
            if let dict = value as? [String: Any] { dict.values.forEach(visit) }
        }
        objects.forEach { $0.values.forEach(visit) }
        return found
    }

    /// The label of a snapshot's field: `audit.field.<name>`; for ladder fields (`level2.role`) the level and the part.
    static func fieldLabel(_ key: String, _ req: Request) -> String {
        let parts = key.split(separator: ".")
        if parts.count == 2, parts[0].hasPrefix("level") {
            return req.t("audit.field.level", String(parts[0].dropFirst(5))) + " – " + fieldLabel(String(parts[1]), req)
        }
        let label = req.t("audit.field.\(key)")
        return label == "audit.field.\(key)" ? key : label
    }

    /// Stored codes shown with their label: roles, candidates' and meetings' states, yes/no.
    static func valueLabel(field: String, value: String, _ req: Request) -> String {
        let base = field.split(separator: ".").last.map(String.init) ?? field
        let prefixes = ["role": "role.", "status": "audit.value.status.", "termUnit": "audit.value.termUnit.", "kind": "audit.value.kind.", "variant": "mixingPanel.variant."]
        guard let prefix = prefixes[base] else { return value }
        let label = req.t(prefix + value)
        return label == prefix + value ? value : label
    }

    static func text(_ value: Any?, names: [UUID: String]) -> String {
        switch value {
        case nil, is NSNull: return "–"
        case let s as String: return UUID(uuidString: s).flatMap { names[$0] } ?? s
        case let b as Bool: return b ? "ja" : "nee"
        case let list as [Any]: return list.isEmpty ? "–" : list.map { text($0, names: names) }.joined(separator: ", ")
        case let dict as [String: Any]: return dict.keys.sorted().map { "\($0): \(text(dict[$0], names: names))" }.joined(separator: "; ")
        case let n as NSNumber: return n.stringValue
        default: return "\(value!)"
        }
    }

    /// The fields that differ, in name order (all fields when there is only a before or an after).
    static func changes(before: String?, after: String?, names: [UUID: String], label: (String) -> String = { $0 },
                        value: (String, String) -> String = { $1 }) -> [Change] {
        let b = object(before) ?? [:], a = object(after) ?? [:]
        return Set(b.keys).union(a.keys).sorted().compactMap { key in
            let old = text(b[key], names: names), new = text(a[key], names: names)
            guard old != new else { return nil }
            return Change(field: label(key), before: old == "–" ? old : value(key, old), after: new == "–" ? new : value(key, new))
        }
    }

    /// Names for the ids that appear in these entries.
    static func names(for entries: [AuditEntry], on db: any Database) async throws -> [UUID: String] {
        let ids = Array(Self.ids(in: entries.flatMap { [object($0.before), object($0.after)].compactMap { $0 } }))
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for area in try await Area.query(on: db).filter(\.$id ~~ ids).all() { names[area.id!] = area.name }
        for m in try await Municipality.query(on: db).filter(\.$id ~~ ids).all() { names[m.id!] = m.name }
        for d in try await Department.query(on: db).filter(\.$id ~~ ids).all() { names[d.id!] = d.name }
        for u in try await User.query(on: db).filter(\.$id ~~ ids).all() { names[u.id!] = u.name }
        return names
    }
}
