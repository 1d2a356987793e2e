package dev.loupe.label.importer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvRecordsTest {

    @Test
    void quotedFieldsCrlfBlankLinesAndABomAreReadWithTheLineEachRecordStartsOn() {
        List<CsvRecords.Record> records = CsvRecords.parse("\uFEFFuri,label\r\n\r\n\"s3://b/a,b.png\",i\n"
                + "\"s3://b/say \"\"hi\"\".png\",\"ii\nmore\"\ns3://b/c.png,\n,\nlast,x");
        assertEquals(List.of(
                new CsvRecords.Record(1, List.of("uri", "label")),
                new CsvRecords.Record(3, List.of("s3://b/a,b.png", "i")),
                new CsvRecords.Record(4, List.of("s3://b/say \"hi\".png", "ii\nmore")),
                new CsvRecords.Record(6, List.of("s3://b/c.png", "")),
                new CsvRecords.Record(7, List.of("", "")),
                new CsvRecords.Record(8, List.of("last", "x"))), records);
    }
}
