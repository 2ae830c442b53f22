import Foundation

/// Reads a CBS Kerncijfers wijken en buurten file: the open-data CSV of any year (the whole country, ~17,000
/// rows), with the StatLine keys (`AantalInwoners_5`) or the short codes of the kwb-YYYY file (`a_inw`),
/// separated by commas or semicolons. Every problem is reported with its line; the caller imports nothing when
/// there is one (all or nothing).
public enum CBSFile {
    public struct Row: Sendable {
        public var line: Int
        public var year: Int
        public var code: String
        public var level: CBSCode.Level
        public var municipalityCode: String
        /// Per indicator key: the figure, or nil for CBS's "secret" or "missing".
        public var values: [String: Double?]
    }

    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var key: String
        public var detail: String
    }

    public struct Report: Sendable {
        public var rows: [Row] = []
        public var problems: [Problem] = []
        /// Columns the file has that Wijkwerk does not import (reported, not an error).
        public var ignoredColumns: [String] = []
        /// Column → indicator key.
        public var recognised: [String: String] = [:]
    }

    static let codeColumns = ["regiocode", "gwb_code_10", "gwb_code", "wijkenenbuurten", "codering_3", "codering"]
    static let municipalityColumns = ["gemeentecode", "gm_code", "gwb_code_8"]
    static let yearColumns = ["jaar", "year", "perioden"]

    /// `year` is used when the file has no year column (a kwb-YYYY file holds one year).
    public static func parse(_ text: String, year: Int?) -> Report {
        var report = Report()
        let firstLine = text.prefix { $0 != "\n" }
        let separator: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        let table = CSV.rows(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, separator: separator)
        guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            report.problems.append(Problem(line: 1, key: "cbs.problem.empty", detail: ""))
            return report
        }
        guard let codeIndex = header.firstIndex(where: { codeColumns.contains($0) }) else {
            report.problems.append(Problem(line: 1, key: "cbs.problem.noCodeColumn", detail: codeColumns.joined(separator: ", ")))
            return report
        }
        let municipalityIndex = header.firstIndex { municipalityColumns.contains($0) }
        let yearIndex = header.firstIndex { yearColumns.contains($0) }
        var columns: [(Int, Indicator)] = []
        for (i, name) in header.enumerated() where i != codeIndex && i != municipalityIndex && i != yearIndex {
            if let indicator = IndicatorCatalogue.cbsIndicator(column: name), !columns.contains(where: { $0.1.key == indicator.key }) {
                columns.append((i, indicator))
                report.recognised[name] = indicator.key
            } else {
                report.ignoredColumns.append(name)
            }
        }
        if columns.isEmpty { report.problems.append(Problem(line: 1, key: "cbs.problem.noIndicatorColumns", detail: "")) ; return report }
        if yearIndex == nil && year == nil { report.problems.append(Problem(line: 1, key: "cbs.problem.noYear", detail: "")); return report }
        for (offset, cells) in table.dropFirst().enumerated() {
            let line = offset + 2
            if cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard cells.count == header.count else {
                report.problems.append(Problem(line: line, key: "cbs.problem.columns", detail: "\(cells.count)/\(header.count)")); continue
            }
            let code = cells[codeIndex].trimmingCharacters(in: .whitespaces).uppercased()
            guard let level = CBSCode.level(of: code) else {
                report.problems.append(Problem(line: line, key: "cbs.problem.code", detail: code)); continue
            }
            var rowYear = year ?? 0
            if let yearIndex {
                // StatLine writes "2024JJ00"; other files write 2024.
                let raw = cells[yearIndex].trimmingCharacters(in: .whitespaces)
                guard let y = Int(raw.prefix(4)), (1990...2100).contains(y) else {
                    report.problems.append(Problem(line: line, key: "cbs.problem.year", detail: raw)); continue
                }
                rowYear = y
            }
            let municipality = municipalityIndex.map { cells[$0].trimmingCharacters(in: .whitespaces).uppercased() }.flatMap { CBSCode.level(of: $0) == .municipality ? $0 : nil }
                ?? "GM" + code.dropFirst(2).prefix(4)
            var values: [String: Double?] = [:]
            var bad = false
            for (i, indicator) in columns {
                guard let value = CBSValue.parse(cells[i]) else {
                    report.problems.append(Problem(line: line, key: "cbs.problem.value", detail: "\(header[i])=\(cells[i])")); bad = true; break
                }
                values[indicator.key] = value
            }
            if !bad { report.rows.append(Row(line: line, year: rowYear, code: code, level: level, municipalityCode: municipality, values: values)) }
        }
        return report
    }
}
