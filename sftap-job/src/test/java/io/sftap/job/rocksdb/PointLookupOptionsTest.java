package io.sftap.job.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.sftap.job.SftapJobOptions;
import io.sftap.job.embedded.EmbeddedRunner;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.RocksDB;

/** The point-lookup options reach RocksDB's column options and the embedded backend loads them. */
class PointLookupOptionsTest {
    static {
        RocksDB.loadLibrary();
    }

    @Test
    void defaultsAddMemtableFilterAndBlockHashIndexKeepingTheTableConfigFlinkSet() {
        BlockBasedTableConfig flinks = new BlockBasedTableConfig().setBlockSize(8192);
        try (ColumnFamilyOptions cf = new ColumnFamilyOptions().setTableFormatConfig(flinks)) {
            ColumnFamilyOptions out = new PointLookupOptions().configure(new Configuration()).createColumnOptions(cf, new ArrayList<>());

            assertThat(out.memtableWholeKeyFiltering()).isTrue();
            assertThat(out.memtablePrefixBloomSizeRatio()).isEqualTo(PointLookupOptions.MEMTABLE_FILTER_SIZE_RATIO);
            assertThat(out.tableFormatConfig()).isSameAs(flinks);
            assertThat(flinks.dataBlockIndexType()).isEqualTo(DataBlockIndexType.kDataBlockBinaryAndHash);
            assertThat(flinks.blockSize()).isEqualTo(8192);
        }
    }

    @Test
    void eachOptionCanBeSwitchedOff() {
        Configuration conf = new Configuration();
        conf.set(PointLookupOptions.MEMTABLE_FILTER, false);
        conf.set(PointLookupOptions.BLOCK_HASH_INDEX, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig();
        try (ColumnFamilyOptions cf = new ColumnFamilyOptions().setTableFormatConfig(table)) {
            ColumnFamilyOptions out = new PointLookupOptions().configure(conf).createColumnOptions(cf, new ArrayList<>());

            assertThat(out.memtableWholeKeyFiltering()).isFalse();
            assertThat(out.memtablePrefixBloomSizeRatio()).isZero();
            assertThat(table.dataBlockIndexType()).isEqualTo(DataBlockIndexType.kDataBlockBinarySearch);
        }
    }

    @Test
    void aColumnFamilyWithoutTableConfigGetsOneWithTheHashIndex() {
        try (ColumnFamilyOptions cf = new ColumnFamilyOptions()) {
            ColumnFamilyOptions out = new PointLookupOptions().createColumnOptions(cf, List.of());

            assertThat(out.tableFormatConfig()).isInstanceOfSatisfying(BlockBasedTableConfig.class,
                    t -> assertThat(t.dataBlockIndexType()).isEqualTo(DataBlockIndexType.kDataBlockBinaryAndHash));
        }
    }

    @Test
    void theEmbeddedRocksDbBackendLoadsTheFactoryWithItsSettings() throws Exception {
        SftapJobOptions options = new SftapJobOptions();
        options.checkpointInterval = Duration.ZERO; // no checkpoint folder to make
        Configuration conf = EmbeddedRunner.configuration(options);
        conf.set(PointLookupOptions.BLOCK_HASH_INDEX, false);

        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend().configure(conf, getClass().getClassLoader());

        RocksDBOptionsFactory factory = backend.getRocksDBOptions();
        assertThat(factory).isInstanceOfSatisfying(PointLookupOptions.class, f -> {
            assertThat(f.memtableFilter()).isTrue();
            assertThat(f.blockHashIndex()).isFalse();
        });
    }

    @Test
    void theEmbeddedRocksDbBackendCompressesWithLz4UnlessTold() throws Exception {
        SftapJobOptions options = new SftapJobOptions();
        options.checkpointInterval = Duration.ZERO;
        Configuration conf = EmbeddedRunner.configuration(options);

        assertThat(conf.get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(CompressionType.LZ4_COMPRESSION);
    }

    @Test
    void embeddedCheckpointsAreIncrementalAsOnACluster() throws Exception {
        SftapJobOptions options = new SftapJobOptions();
        options.checkpointDir = Files.createTempDirectory("sftap-test-checkpoints");
        try {
            Configuration conf = EmbeddedRunner.configuration(options);

            assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        } finally {
            Files.delete(options.checkpointDir);
        }
    }
}
