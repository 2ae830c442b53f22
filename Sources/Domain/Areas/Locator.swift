import Foundation

/// Finds the one region (a buurt) that contains a point, with a uniform grid of bounding boxes as prefilter.
/// Regions are tried in the order given; a point on a shared border goes to a region that contains it
/// strictly if there is one, otherwise to the first region (in the given order) that touches it.
public struct Locator<ID: Hashable & Sendable>: Sendable {
    public struct Entry: Sendable {
        public var id: ID
        public var geometry: MultiPolygon
        public var box: BoundingBox
    }

    public private(set) var entries: [Entry]
    private let bounds: BoundingBox?
    private let columns: Int
    private let rows: Int
    private let cells: [[Int32]]

    public init(_ regions: [(id: ID, geometry: MultiPolygon)], cellsPerRegion: Double = 1.0) {
        entries = regions.compactMap { region in
            region.geometry.boundingBox.map { Entry(id: region.id, geometry: region.geometry, box: $0) }
        }
        bounds = entries.map(\.box).reduce(nil) { $0?.union($1) ?? $1 }
        let side = max(1, Int((Double(entries.count) * cellsPerRegion).squareRoot().rounded(.up)))
        columns = side
        rows = side
        var cells = Array(repeating: [Int32](), count: side * side)
        if let bounds {
            for (index, entry) in entries.enumerated() {
                let (c0, r0) = Locator.cell(for: Position(lon: entry.box.minLon, lat: entry.box.minLat), bounds, side, side)
                let (c1, r1) = Locator.cell(for: Position(lon: entry.box.maxLon, lat: entry.box.maxLat), bounds, side, side)
                for r in r0...r1 { for c in c0...c1 { cells[r * side + c].append(Int32(index)) } }
            }
        }
        self.cells = cells
    }

    private static func cell(for p: Position, _ b: BoundingBox, _ columns: Int, _ rows: Int) -> (Int, Int) {
        let w = max(b.maxLon - b.minLon, 1e-12), h = max(b.maxLat - b.minLat, 1e-12)
        let c = min(columns - 1, max(0, Int((p.lon - b.minLon) / w * Double(columns))))
        let r = min(rows - 1, max(0, Int((p.lat - b.minLat) / h * Double(rows))))
        return (c, r)
    }

    /// The region containing the point, using the grid prefilter.
    public func locate(_ p: Position) -> ID? {
        guard let bounds, bounds.contains(p) else { return nil }
        let (c, r) = Locator.cell(for: p, bounds, columns, rows)
        return pick(p, candidates: cells[r * columns + c].lazy.map(Int.init))
    }

    /// The same answer without the prefilter: every region is checked. Used to measure the prefilter's gain.
    public func locateByScanning(_ p: Position) -> ID? {
        pick(p, candidates: entries.indices)
    }

    private func pick(_ p: Position, candidates: some Sequence<Int>) -> ID? {
        var touching: Int? = nil
        for index in candidates {
            let entry = entries[index]
            guard entry.box.contains(p), entry.geometry.contains(p) else { continue }
            if entry.geometry.containsStrictly(p) { return entry.id }
            if touching == nil || index < touching! { touching = index }
        }
        return touching.map { entries[$0].id }
    }
}
