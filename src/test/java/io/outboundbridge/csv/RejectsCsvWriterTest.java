package io.outboundbridge.csv;

import io.outboundbridge.task.Violation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class RejectsCsvWriterTest {

    @TempDir
    Path dir;

    @Test
    void should_create_no_file_when_there_are_no_rejects() throws IOException {
        Path target = dir.resolve("list.csv.rejects.csv");

        RejectsCsvWriter writer = new RejectsCsvWriter(target);
        writer.close();

        assertThat(writer.created()).isFalse();
        assertThat(writer.rows()).isZero();
        assertThat(target).doesNotExist();
    }

    @Test
    void should_write_a_bom_the_header_and_rfc4180_quoted_rows() throws IOException {
        Path target = dir.resolve("list.csv.rejects.csv");

        try (RejectsCsvWriter writer = new RejectsCsvWriter(target)) {
            writer.write(3, new Violation("mobile1", "11 digits expected, found 5"), "张三,\"VIP, 回访\",C1,,12345");
            writer.write(7, new Violation("desc", "longer than 200 characters"), "李四,\"第一行\n第二行\",C2");
            assertThat(writer.created()).isTrue();
            assertThat(writer.rows()).isEqualTo(2);
        }

        byte[] bytes = Files.readAllBytes(target);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(new String(bytes, 3, bytes.length - 3, UTF_8)).isEqualTo(
                "line,column,reason,original\r\n"
                        + "3,mobile1,\"11 digits expected, found 5\",\"张三,\"\"VIP, 回访\"\",C1,,12345\"\r\n"
                        + "7,desc,longer than 200 characters,\"李四,\"\"第一行\n第二行\"\",C2\"\r\n");
    }

    @Test
    void should_neutralise_cells_a_spreadsheet_would_run_as_formulas() {
        assertThat(RejectsCsvWriter.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(RejectsCsvWriter.cell("+86 138")).isEqualTo("'+86 138");
        assertThat(RejectsCsvWriter.cell("-1+1")).isEqualTo("'-1+1");
        assertThat(RejectsCsvWriter.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(RejectsCsvWriter.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(RejectsCsvWriter.cell("\r=1")).isEqualTo("\"'\r=1\"");
        assertThat(RejectsCsvWriter.cell("a=1")).isEqualTo("a=1");
        assertThat(RejectsCsvWriter.cell("")).isEmpty();
    }

    @Test
    void should_neutralise_a_formula_in_the_original_row_too() throws IOException {
        Path target = dir.resolve("list.csv.rejects.csv");

        try (RejectsCsvWriter writer = new RejectsCsvWriter(target)) {
            writer.write(2, new Violation("name", "empty"), "=cmd|' /C calc'!A0,,C1");
        }

        assertThat(Files.readString(target, UTF_8)).endsWith("2,name,empty,\"'=cmd|' /C calc'!A0,,C1\"\r\n");
    }
}
