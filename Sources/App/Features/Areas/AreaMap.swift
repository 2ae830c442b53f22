import Foundation
import Domain

/// Server-rendered SVG maps (interface-guide §8): a group with a title and description, each area a link with
/// a visible label, in the same order as the table that follows the map.
enum AreaMap {
    struct Shape {
        var href: String?
        var label: String
        var accessibleName: String
        var geometry: MultiPolygon
        var colour: Int
        var current: Bool = false
        /// A class that replaces the categorical colour (a choropleth's class).
        var fill: String? = nil
    }

    static func svg(id: String, title: String, description: String, shapes: [Shape], bounds: BoundingBox, showLabels: Bool = true) -> String {
        let projection = MapProjection(fitting: bounds)
        let fontSize = max(13, min(22, projection.width / 45))
        let drawn = shapes.filter { !$0.geometry.polygons.isEmpty }
        let hasLinks = drawn.contains { $0.href != nil }
        var out = "<svg class=\"ww-map__svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"\(projection.viewBox)\" "
        out += hasLinks ? "role=\"group\" " : "role=\"img\" "
        out += "aria-labelledby=\"\(id)-t\" aria-describedby=\"\(id)-d\">"
        out += "<title id=\"\(id)-t\">\(HTML.escape(title))</title><desc id=\"\(id)-d\">\(HTML.escape(description))</desc>"
        for shape in drawn {
            let classes = "ww-map__area " + (shape.fill ?? "ww-map__area--c\(shape.colour)") + (shape.current ? " ww-map__area--current" : "")
            let path = "<path class=\"\(classes)\" d=\"\(projection.pathData(shape.geometry))\"/>"
            if let href = shape.href {
                // The link keeps its name as text too (screen readers handle SVG link names unevenly); it is drawn transparent.
                var text = ""
                if let point = shape.geometry.labelPoint {
                    let (x, y) = projection.point(point)
                    text = "<text class=\"ww-map__label ww-map__label--link\" x=\"\(Int(x))\" y=\"\(Int(y))\" font-size=\"\(Int(fontSize))\" text-anchor=\"middle\">\(HTML.escape(shape.label))</text>"
                }
                out += "<a class=\"ww-map__link\" href=\"\(HTML.escape(href))\" aria-label=\"\(HTML.escape(shape.accessibleName))\">\(path)\(text)</a>"
            } else {
                out += path
            }
        }
        if showLabels {
            out += "<g class=\"ww-map__labels\" aria-hidden=\"true\">"
            for label in placeLabels(drawn, projection: projection, baseSize: fontSize) {
                out += "<text class=\"ww-map__label\" x=\"\(Int(label.x))\" y=\"\(Int(label.y))\" font-size=\"\(Int(label.size))\" text-anchor=\"middle\" dominant-baseline=\"middle\">\(HTML.escape(label.text))</text>"
            }
            out += "</g>"
        }
        return out + "</svg>"
    }

    /// A point on the map that is a link, with an accessible name (each its own stop for keyboard users).
    struct LinkedDot { var position: Position; var href: String; var label: String }

    /// Dots that are links (for example reports to their public page); the list next to the map is the non-map way in.
    static func linkedDots(_ dots: [LinkedDot], bounds: BoundingBox) -> String {
        guard !dots.isEmpty else { return "" }
        let projection = MapProjection(fitting: bounds)
        let radius = max(5, projection.width / 140)
        return "<g class=\"ww-map__signals\">" + dots.map { d in
            let (x, y) = projection.point(d.position)
            return "<a href=\"\(HTML.escape(d.href))\" aria-label=\"\(HTML.escape(d.label))\"><title>\(HTML.escape(d.label))</title>"
                + "<circle class=\"ww-map__signal\" cx=\"\(Int(x))\" cy=\"\(Int(y))\" r=\"\(Int(radius))\"/></a>"
        }.joined() + "</g>"
    }

    struct PlacedLabel { var text: String; var x: Double; var y: Double; var size: Double }

    /// Places labels biggest shape first, shrinking or shifting a label that would cover one already placed;
    /// a label that fits nowhere is left out (the name stays in the link and in the table after the map).
    static func placeLabels(_ shapes: [Shape], projection: MapProjection, baseSize: Double) -> [PlacedLabel] {
        struct Box { var minX, minY, maxX, maxY: Double
            func overlaps(_ o: Box) -> Bool { minX < o.maxX && o.minX < maxX && minY < o.maxY && o.minY < maxY } }
        let ordered = shapes.sorted { abs($0.geometry.polygons.map(\.outer.signedArea).reduce(0, +)) > abs($1.geometry.polygons.map(\.outer.signedArea).reduce(0, +)) }
        var placed: [Box] = []
        var labels: [PlacedLabel] = []
        for shape in ordered {
            guard let point = shape.geometry.labelPoint, let box = shape.geometry.boundingBox else { continue }
            let width = projection.point(Position(lon: box.maxLon, lat: box.minLat)).x - projection.point(Position(lon: box.minLon, lat: box.minLat)).x
            let base = labelPlacement(shape.label, at: projection.point(point), shapeWidth: width, baseSize: baseSize, canvasWidth: projection.width)
            search: for size in [base.size, max(13, base.size * 0.8)] {
                for shift in [0.0, -1.1, 1.1, -2.2, 2.2] {
                    let half = characterWidth * size * Double(shape.label.count) / 2 + 3
                    let x = min(max(base.x, half + 2), projection.width - half - 2)
                    let y = base.y + shift * size
                    let candidate = Box(minX: x - half, minY: y - size * 0.65, maxX: x + half, maxY: y + size * 0.65)
                    if candidate.minY < 0 || candidate.maxY > projection.height { continue }
                    if placed.contains(where: { $0.overlaps(candidate) }) { continue }
                    placed.append(candidate)
                    labels.append(PlacedLabel(text: shape.label, x: x, y: y, size: size))
                    break search
                }
            }
        }
        return labels
    }

    /// Average width of a bold label character, as a fraction of the font size (a little generous).
    static let characterWidth = 0.66

    /// Shrinks a label to fit its shape (down to a readable minimum) and keeps it inside the canvas.
    static func labelPlacement(_ text: String, at point: (x: Double, y: Double), shapeWidth: Double, baseSize: Double, canvasWidth: Double) -> (x: Double, y: Double, size: Double) {
        let fitting = shapeWidth * 0.9 / (characterWidth * Double(max(text.count, 1)))
        let size = max(13, min(baseSize, fitting))
        let half = characterWidth * size * Double(text.count) / 2
        let x = min(max(point.x, half + 2), canvasWidth - half - 2)
        return (x, point.y, size)
    }
}
