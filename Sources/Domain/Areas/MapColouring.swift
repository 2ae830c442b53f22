import Foundation

/// Gives neighbouring shapes different fill classes so borders stay visible (colour is never the only cue:
/// every shape also has a text label).
public enum MapColouring {
    /// Shapes are neighbours when they share at least one vertex. Returns a colour index per shape, below `colours`.
    public static func colours(_ shapes: [MultiPolygon], colours: Int = 8) -> [Int] {
        var vertexOwners: [Position: [Int]] = [:]
        for (i, shape) in shapes.enumerated() {
            for polygon in shape.polygons {
                for p in polygon.outer.positions where vertexOwners[p]?.last != i { vertexOwners[p, default: []].append(i) }
            }
        }
        var neighbours = Array(repeating: Set<Int>(), count: shapes.count)
        for owners in vertexOwners.values where owners.count > 1 {
            for a in owners { for b in owners where a != b { neighbours[a].insert(b) } }
        }
        var result = Array(repeating: -1, count: shapes.count)
        // Most-connected first (Welsh–Powell), ties by index for a stable result.
        for i in shapes.indices.sorted(by: { (neighbours[$0].count, -$0) > (neighbours[$1].count, -$1) }) {
            let used = Set(neighbours[i].map { result[$0] })
            result[i] = (0..<colours).first { !used.contains($0) } ?? (i % colours)
        }
        return result
    }
}
