package io.sftap.job.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.WebOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessTempDirTest {
    @TempDir Path dir;

    @Test
    void flinksTemporaryAndUploadFoldersGoIntoTheGivenFolder() {
        Configuration conf = new Configuration();
        ProcessTempDir.useFor(conf, dir);
        assertThat(conf.get(CoreOptions.TMP_DIRS)).isEqualTo(dir.toString());
        assertThat(conf.get(WebOptions.UPLOAD_DIR)).isEqualTo(dir.toString());
    }

    @Test
    void deleteRemovesTheFolderWithEverythingInIt() throws Exception {
        Path tmp = ProcessTempDir.create();
        Files.createDirectories(tmp.resolve("flink-io-1").resolve("spill"));
        Files.write(tmp.resolve("flink-rpc-akka-1.jar"), new byte[] {1, 2, 3});
        Files.write(tmp.resolve("flink-io-1").resolve("spill").resolve("part"), new byte[] {4});
        ProcessTempDir.delete(tmp);
        assertThat(tmp).doesNotExist();
    }

    @Test
    void deletingAFolderThatIsGoneAlreadyIsQuiet() {
        Path gone = dir.resolve("never-made");
        ProcessTempDir.delete(gone);
        assertThat(gone).doesNotExist();
    }
}
