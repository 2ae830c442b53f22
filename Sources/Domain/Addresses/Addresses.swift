import Foundation

/// One address as residents know it: street, number and postcode in a place, with its position.
public struct AddressMatch: Hashable, Sendable, Codable {
    public var street: String
    public var number: Int
    /// Huisletter and toevoeging together, as written after the number ("a", "A-2", "bis"); empty when none.
    public var addition: String
    /// Normalised: four digits and two capitals without a space ("5341AB").
    public var postcode: String
    public var place: String
    public var position: Position

    public init(street: String, number: Int, addition: String, postcode: String, place: String, position: Position) {
        self.street = street
        self.number = number
        self.addition = addition
        self.postcode = postcode
        self.place = place
        self.position = position
    }

    /// What finds exactly this address again: "5341AB 12-A".
    public var query: String { "\(postcode) \(number)" + (addition.isEmpty ? "" : "-\(addition)") }

    /// "Kerkstraat 12a, 5341 AB Oss".
    public var label: String {
        let house = addition.isEmpty ? "\(number)" : (addition.first!.isLetter && addition.count == 1 ? "\(number)\(addition)" : "\(number)-\(addition)")
        return "\(street) \(house), \(Postcode.display(postcode)) \(place)"
    }
}

public enum Postcode {
    /// "5341 ab", "5341AB" → "5341AB"; nil when it is not a Dutch postcode (the first digit is never 0).
    public static func normalise(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }.uppercased()
        guard compact.count == 6 else { return nil }
        let digits = compact.prefix(4), letters = compact.suffix(2)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0",
              letters.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return compact
    }

    /// "5341AB" → "5341 AB".
    public static func display(_ postcode: String) -> String {
        postcode.count == 6 ? "\(postcode.prefix(4)) \(postcode.suffix(2))" : postcode
    }
}

/// What a resident typed to find an address: a postcode with a house number, or a street with a number and
/// perhaps a place.
public enum AddressQuery: Hashable, Sendable {
    case postcode(String, number: Int, addition: String)
    case street(String, number: Int?, addition: String, place: String?)

    public static let maximumLength = 120

    /// Reads "5341 AB 12", "5341AB12-a", "Kerkstraat 12a, Oss", "kerkstraat 12", "Kerkstraat". Nil when there is
    /// nothing to look for (empty, too long, or no letters and no postcode).
    public static func parse(_ raw: String) -> AddressQuery? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximumLength, !text.contains(where: { $0.isNewline }) else { return nil }
        // A postcode first: four digits, optional space, two letters, then the number and addition.
        let scalars = Array(text)
        var i = 0
        func skipSpaces() { while i < scalars.count, scalars[i].isWhitespace { i += 1 } }
        if scalars.count >= 6, scalars.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }) {
            i = 4
            skipSpaces()
            if i + 1 < scalars.count, scalars[i].isASCII, scalars[i].isLetter, scalars[i + 1].isASCII, scalars[i + 1].isLetter,
               let postcode = Postcode.normalise(String(scalars[0..<4]) + String(scalars[i...(i + 1)])) {
                i += 2
                let rest = String(scalars[i...]).trimmingCharacters(in: .whitespaces)
                guard let (number, addition) = house(rest) else { return nil }
                return .postcode(postcode, number: number, addition: addition)
            }
        }
        // A street: words, then perhaps a number with an addition, then perhaps ", place".
        let parts = text.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let place = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
        var words = parts[0].split(separator: " ").map(String.init)
        var number: Int? = nil
        var addition = ""
        if let last = words.last, last.first?.isNumber == true, let h = house(last) {
            number = h.0; addition = h.1; words.removeLast()
        } else if words.count >= 2, let h = house(words.suffix(2).joined(separator: " ")), words[words.count - 2].first?.isNumber == true {
            number = h.0; addition = h.1; words.removeLast(2)
        }
        let street = words.joined(separator: " ")
        guard street.contains(where: { $0.isLetter }) else { return nil }
        return .street(street, number: number, addition: addition, place: place)
    }

    /// "12", "12a", "12 A", "12-2", "12 bis" → (12, "A"/"2"/"BIS"); nil for anything else.
    static func house(_ text: String) -> (Int, String)? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 5, let number = Int(digits), number > 0 else { return nil }
        var rest = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if rest.hasPrefix("-") { rest = String(rest.dropFirst()).trimmingCharacters(in: .whitespaces) }
        guard rest.count <= 8, rest.last != "-", rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return (number, rest.uppercased())
    }

    /// The comparable form of a street or place name: lower case, accents and punctuation removed
    /// ("'s-Hertogenbosch" → "s hertogenbosch", "Burg. van den Elsenstraat" → "burg van den elsenstraat").
    public static func key(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "nl_NL")).lowercased()
        let cleaned = folded.map { $0.isLetter || $0.isNumber ? $0 : " " }
        return String(cleaned).split(separator: " ").joined(separator: " ")
    }
}

/// The Dutch national grid (Rijksdriehoeksstelsel, EPSG:28992) to WGS84, with the published polynomial
/// approximation (Schreutelkamp and Strang van Hees): within about a metre across the Netherlands, which is
/// what placing a report needs.
public enum RDCoordinates {
    static let k: [(Int, Int, Double)] = [(0, 1, 3235.65389), (2, 0, -32.58297), (0, 2, -0.24750), (2, 1, -0.84978), (0, 3, -0.06550),
                                          (2, 2, -0.01709), (1, 0, -0.00738), (4, 0, 0.00530), (2, 3, -0.00039), (4, 1, 0.00033), (1, 1, -0.00012)]
    static let l: [(Int, Int, Double)] = [(1, 0, 5260.52916), (1, 1, 105.94684), (1, 2, 2.45656), (3, 0, -0.81885), (1, 3, 0.05594),
                                          (3, 1, -0.05607), (0, 1, 0.01199), (3, 2, -0.00256), (1, 4, 0.00128), (0, 2, 0.00022),
                                          (2, 0, -0.00022), (5, 0, 0.00026)]

    /// Nil outside the grid's range (x 0–300 km, y 289–629 km).
    public static func toWGS84(x: Double, y: Double) -> Position? {
        guard x.isFinite, y.isFinite, (0...300_000).contains(x), (289_000...629_000).contains(y) else { return nil }
        let dx = (x - 155_000) * 1e-5, dy = (y - 463_000) * 1e-5
        func sum(_ terms: [(Int, Int, Double)]) -> Double {
            terms.reduce(0) { $0 + $1.2 * pow(dx, Double($1.0)) * pow(dy, Double($1.1)) }
        }
        return Position(lon: 5.38720621 + sum(l) / 3600, lat: 52.15517440 + sum(k) / 3600)
    }
}

/// Reads an address register as a municipality exports it from the BAG: a CSV (comma or semicolon) with a header
/// naming postcode, house number, letter and/or addition, street, place, and either WGS84 (`lat`, `lon`) or
/// national-grid (`x`, `y`) coordinates. Every bad row is reported with its line; good rows are still returned
/// (an import of 500,000 addresses should not fail on one).
public enum AddressFile {
    public struct Row: Hashable, Sendable {
        public var line: Int
        public var address: AddressMatch
    }

    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var key: String
        public var detail: String
    }

    public struct Report: Sendable {
        public var rows: [Row] = []
        public var problems: [Problem] = []
    }

    static let columns: [String: [String]] = [
        "postcode": ["postcode", "pc6"],
        "number": ["huisnummer", "house_number", "housenumber", "nummer"],
        "letter": ["huisletter", "letter"],
        "addition": ["huisnummertoevoeging", "toevoeging", "addition"],
        "street": ["straat", "straatnaam", "openbareruimte", "openbare_ruimte", "openbareruimtenaam", "street"],
        "place": ["woonplaats", "woonplaatsnaam", "plaats", "place", "city"],
        "lat": ["lat", "latitude", "breedtegraad"],
        "lon": ["lon", "lng", "longitude", "lengtegraad"],
        "x": ["x", "x_rd", "rd_x"],
        "y": ["y", "y_rd", "rd_y"],
    ]

    public static func parse(_ text: String) -> Report {
        var report = Report()
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let firstLine = body.prefix { $0 != "\n" }
        let separator: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        let table = CSV.rows(body, separator: separator)
        guard let header = table.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            report.problems.append(Problem(line: 1, key: "address.problem.empty", detail: ""))
            return report
        }
        var index: [String: Int] = [:]
        for (field, names) in columns { if let i = header.firstIndex(where: { names.contains($0) }) { index[field] = i } }
        let hasWGS = index["lat"] != nil && index["lon"] != nil, hasRD = index["x"] != nil && index["y"] != nil
        let missing = ["postcode", "number", "street", "place"].filter { index[$0] == nil }
        if !missing.isEmpty || !(hasWGS || hasRD) {
            let names = missing.map { columns[$0]![0] } + (hasWGS || hasRD ? [] : ["lat/lon or x/y"])
            report.problems.append(Problem(line: 1, key: "address.problem.columns", detail: names.joined(separator: ", ")))
            return report
        }
        func cell(_ cells: [String], _ field: String) -> String {
            guard let i = index[field], i < cells.count else { return "" }
            return cells[i].trimmingCharacters(in: .whitespaces)
        }
        for (offset, cells) in table.dropFirst().enumerated() {
            let line = offset + 2
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard cells.count == header.count else {
                report.problems.append(Problem(line: line, key: "address.problem.cells", detail: "\(cells.count)/\(header.count)")); continue
            }
            guard let postcode = Postcode.normalise(cell(cells, "postcode")) else {
                report.problems.append(Problem(line: line, key: "address.problem.postcode", detail: cell(cells, "postcode"))); continue
            }
            guard let number = Int(cell(cells, "number")), (1...99_999).contains(number) else {
                report.problems.append(Problem(line: line, key: "address.problem.number", detail: cell(cells, "number"))); continue
            }
            let addition = (cell(cells, "letter") + (cell(cells, "letter").isEmpty || cell(cells, "addition").isEmpty ? "" : "-") + cell(cells, "addition")).uppercased()
            guard addition.count <= 8, addition.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                report.problems.append(Problem(line: line, key: "address.problem.addition", detail: addition)); continue
            }
            let street = cell(cells, "street"), place = cell(cells, "place")
            guard !street.isEmpty, street.count <= 100, !place.isEmpty, place.count <= 80 else {
                report.problems.append(Problem(line: line, key: "address.problem.name", detail: street.isEmpty ? "straat" : "woonplaats")); continue
            }
            var position: Position? = nil
            if hasWGS, let lat = Double(cell(cells, "lat").replacingOccurrences(of: ",", with: ".")),
               let lon = Double(cell(cells, "lon").replacingOccurrences(of: ",", with: ".")),
               lat.isFinite, lon.isFinite, (50.5...53.8).contains(lat), (3.2...7.3).contains(lon) {
                position = Position(lon: lon, lat: lat)
            } else if hasRD, let x = Double(cell(cells, "x").replacingOccurrences(of: ",", with: ".")),
                      let y = Double(cell(cells, "y").replacingOccurrences(of: ",", with: ".")) {
                position = RDCoordinates.toWGS84(x: x, y: y)
            }
            guard let position else {
                report.problems.append(Problem(line: line, key: "address.problem.coordinates", detail: hasWGS ? "\(cell(cells, "lat")) \(cell(cells, "lon"))" : "\(cell(cells, "x")) \(cell(cells, "y"))")); continue
            }
            report.rows.append(Row(line: line, address: AddressMatch(street: street, number: number, addition: addition, postcode: postcode, place: place, position: position)))
        }
        return report
    }
}

/// The answer of PDOK's Locatieserver (`/search/v3_1/free?q=…&fq=type:adres`), as documented: `response.docs`
/// with `straatnaam`, `huisnummer`, `huisletter`, `huisnummertoevoeging`, `postcode`, `woonplaatsnaam` and the
/// point `centroide_ll` as WKT ("POINT(5.53 51.76)"). Documents that are not complete addresses are skipped.
public enum Locatieserver {
    struct Answer: Decodable {
        struct Body: Decodable { var docs: [Doc] }
        struct Doc: Decodable {
            var straatnaam: String?
            var huisnummer: Int?
            var huisletter: String?
            var huisnummertoevoeging: String?
            var postcode: String?
            var woonplaatsnaam: String?
            var centroide_ll: String?
        }
        var response: Body
    }

    public static func matches(_ data: Data) -> [AddressMatch]? {
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else { return nil }
        return answer.response.docs.compactMap { doc in
            guard let street = doc.straatnaam, let number = doc.huisnummer, let postcode = doc.postcode.flatMap(Postcode.normalise),
                  let place = doc.woonplaatsnaam, let position = point(doc.centroide_ll) else { return nil }
            let letter = doc.huisletter ?? "", extra = doc.huisnummertoevoeging ?? ""
            let addition = (letter + (letter.isEmpty || extra.isEmpty ? "" : "-") + extra).uppercased()
            return AddressMatch(street: street, number: number, addition: addition, postcode: postcode, place: place, position: position)
        }
    }

    /// "POINT(5.5296 51.7650)" → the position; nil for anything else.
    static func point(_ wkt: String?) -> Position? {
        guard let wkt, wkt.hasPrefix("POINT("), wkt.hasSuffix(")") else { return nil }
        let numbers = wkt.dropFirst(6).dropLast().split(separator: " ").compactMap { Double($0) }
        guard numbers.count == 2, numbers.allSatisfy(\.isFinite), (-180...180).contains(numbers[0]), (-90...90).contains(numbers[1]) else { return nil }
        return Position(lon: numbers[0], lat: numbers[1])
    }

    /// The query string for a search: the typed text and only addresses.
    public static func query(_ text: String, rows: Int = 5) -> [(String, String)] {
        [("q", text), ("fq", "type:adres"), ("rows", String(rows)),
         ("fl", "straatnaam,huisnummer,huisletter,huisnummertoevoeging,postcode,woonplaatsnaam,centroide_ll")]
    }
}
