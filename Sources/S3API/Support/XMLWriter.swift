import Data

/// Builds S3 XML response bodies: `<?xml ...?>`, nested elements, escaped text.
package struct XMLWriter {
    private(set) var text = #"<?xml version="1.0" encoding="UTF-8"?>"#

    package init() {}

    /// Opens `name`, runs `body` for the children, closes it. `xmlns` adds the S3 namespace.
    package mutating func element(_ name: String, xmlns: Bool = false, _ body: (inout XMLWriter) -> Void) {
        text += xmlns ? "<\(name) xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" : "<\(name)>"
        body(&self)
        text += "</\(name)>"
    }

    /// `<name>value</name>` with `value` escaped.
    package mutating func element(_ name: String, _ value: String) {
        text += "<\(name)>"
        appendEscaped(value)
        text += "</\(name)>"
    }

    /// Escaped character data inside the current element.
    package mutating func text(_ value: String) {
        appendEscaped(value)
    }

    /// `<name>value</name>` only when `value` is not nil.
    package mutating func optional(_ name: String, _ value: String?) {
        if let value { element(name, value) }
    }

    /// The document as UTF-8 bytes.
    package var bytes: [UInt8] { Array(text.utf8) }

    private mutating func appendEscaped(_ value: String) {
        XMLText.escape(value, into: &text)
    }
}
