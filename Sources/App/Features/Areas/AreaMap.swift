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
    }

    static func svg(id: String, title: String, description: String, shapes: [Shape], bounds: BoundingBox, showLabels: Bool = true) -> String {
        let projection = MapProjection(fitting: bounds)
        let fontSize = max(12, min(22, projection.width / 45))
        let hasLinks = shapes.contains { $0.href != nil }
        var out = "<svg class=\"ww-map__svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"\(projection.viewBox)\" "
        out += hasLinks ? "role=\"group\" " : "role=\"img\" "
        out += "aria-labelledby=\"\(id)-t\" aria-describedby=\"\(id)-d\">"
        out += "<title id=\"\(id)-t\">\(HTML.escape(title))</title><desc id=\"\(id)-d\">\(HTML.escape(description))</desc>"
        for shape in shapes {
            let classes = "ww-map__area ww-map__area--c\(shape.colour)" + (shape.current ? " ww-map__area--current" : "")
            var body = "<path class=\"\(classes)\" d=\"\(projection.pathData(shape.geometry))\"/>"
            if showLabels, let point = shape.geometry.labelPoint, let box = shape.geometry.boundingBox {
                let label = labelPlacement(shape.label, at: projection.point(point), shapeWidth: projection.point(Position(lon: box.maxLon, lat: box.minLat)).x - projection.point(Position(lon: box.minLon, lat: box.minLat)).x,
                                           baseSize: fontSize, canvasWidth: projection.width)
                body += "<text class=\"ww-map__label\" x=\"\(Int(label.x))\" y=\"\(Int(label.y))\" font-size=\"\(Int(label.size))\" text-anchor=\"middle\" dominant-baseline=\"middle\">\(HTML.escape(shape.label))</text>"
            }
            if let href = shape.href {
                out += "<a class=\"ww-map__link\" href=\"\(HTML.escape(href))\" aria-label=\"\(HTML.escape(shape.accessibleName))\">\(body)</a>"
            } else {
                out += "<g>\(body)</g>"
            }
        }
        return out + "</svg>"
    }

    /// Shrinks a label to fit its shape (down to a readable minimum) and keeps it inside the canvas.
    static func labelPlacement(_ text: String, at point: (x: Double, y: Double), shapeWidth: Double, baseSize: Double, canvasWidth: Double) -> (x: Double, y: Double, size: Double) {
        let characterWidth = 0.6
        let fitting = shapeWidth * 0.9 / (characterWidth * Double(max(text.count, 1)))
        let size = max(11, min(baseSize, fitting))
        let half = characterWidth * size * Double(text.count) / 2
        let x = min(max(point.x, half + 2), canvasWidth - half - 2)
        return (x, point.y, size)
    }
}
