import Foundation

/// A small RFC 4180 reader: comma separated, double-quoted fields with "" as an escaped quote.
public enum CSV {
    public static func rows(_ text: String, separator: Character = ",") -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var chars = text.makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if ch == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { field.append(ch) }
                continue
            }
            switch ch {
            case "\"": inQuotes = true
            case separator: row.append(field); field = ""
            case "\n", "\r\n":
                row.append(field); field = ""
                rows.append(row); row = []
            case "\r": break
            default: field.append(ch)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Rows as dictionaries keyed by the header row.
    public static func records(_ text: String) -> [[String: String]] {
        let all = rows(text)
        guard let header = all.first else { return [] }
        return all.dropFirst().filter { !($0.count == 1 && $0[0].isEmpty) }.map { row in
            var record: [String: String] = [:]
            for (i, key) in header.enumerated() { record[key] = i < row.count ? row[i] : "" }
            return record
        }
    }
}

/// Writes CSV (RFC 4180, UTF-8) that is safe to open in a spreadsheet: a cell that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return is prefixed with an apostrophe so it is never run as a formula
/// (OWASP "CSV injection"); fields with commas, quotes or line breaks are quoted.
public enum CSVWriter {
    public static func cell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }

    /// A document with a header row; lines end with CRLF as RFC 4180 says.
    public static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
