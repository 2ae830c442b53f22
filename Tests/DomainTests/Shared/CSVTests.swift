import Testing
@testable import Domain

@Suite("CSV")
struct CSVTests {
    @Test func quotedFieldsWithCommasQuotesAndNewlines() {
        let text = "a,b,c\n1,\"Centrum, Krinkelhoek\",\"zei \"\"hoi\"\"\"\r\n2,\"twee\nregels\",\n"
        let rows = CSV.rows(text)
        #expect(rows == [["a", "b", "c"], ["1", "Centrum, Krinkelhoek", "zei \"hoi\""], ["2", "twee\nregels", ""]])
        let records = CSV.records(text)
        #expect(records.count == 2)
        #expect(records[0]["b"] == "Centrum, Krinkelhoek")
    }
}
