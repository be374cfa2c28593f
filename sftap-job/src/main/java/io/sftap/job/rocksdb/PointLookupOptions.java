package io.sftap.job.rocksdb;

import java.util.Collection;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.DataBlockIndexType;
import org.rocksdb.TableFormatConfig;

/**
 * RocksDB options for sftap's access pattern: one point read and one point write per flow visit,
 * no scans on the packet path (set as {@code state.backend.rocksdb.options-factory}).
 *
 * <p>With many open flows a flow's next packet comes long after its state was written, so that
 * state sits in an SST file, not in a memtable: without a memtable filter every read first walks
 * each memtable's skip list in vain (docs/performance.md section 13). A whole-key Bloom filter per
 * memtable answers "not here" in one probe. Inside an SST data block, a hash index finds the key
 * without the block's binary search. Flink applies its own block cache and SST filter after this
 * factory, on the same table config, so both are kept.
 */
public final class PointLookupOptions implements ConfigurableRocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    /** Whole-key Bloom filter in every memtable. */
    public static final ConfigOption<Boolean> MEMTABLE_FILTER = ConfigOptions.key("sftap.rocksdb.memtable-filter")
            .booleanType().defaultValue(true)
            .withDescription("Whole-key Bloom filter in each memtable, so reads of flows kept in SST files skip the memtables.");

    /** Hash index inside SST data blocks. */
    public static final ConfigOption<Boolean> BLOCK_HASH_INDEX = ConfigOptions.key("sftap.rocksdb.block-hash-index")
            .booleanType().defaultValue(true)
            .withDescription("Hash index in each SST data block, so a point read skips the block's binary search.");

    /** Share of a memtable's size its filter takes (RocksDB's recommended upper end). */
    static final double MEMTABLE_FILTER_SIZE_RATIO = 0.1;

    private boolean memtableFilter = MEMTABLE_FILTER.defaultValue();
    private boolean blockHashIndex = BLOCK_HASH_INDEX.defaultValue();

    /**
     * Makes RocksDB state use these options: the job's own configuration carries them, so they
     * apply embedded and on any cluster (a cluster-wide options factory is replaced for sftap jobs).
     */
    public static void install(Configuration conf) {
        conf.set(RocksDBOptions.OPTIONS_FACTORY, PointLookupOptions.class.getName());
    }

    @Override
    public RocksDBOptionsFactory configure(ReadableConfig config) {
        memtableFilter = config.get(MEMTABLE_FILTER);
        blockHashIndex = config.get(BLOCK_HASH_INDEX);
        return this;
    }

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
        return current;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
        if (memtableFilter) {
            current.setMemtableWholeKeyFiltering(true).setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_SIZE_RATIO);
        }
        if (blockHashIndex) {
            TableFormatConfig table = current.tableFormatConfig();
            BlockBasedTableConfig blocks = table instanceof BlockBasedTableConfig b ? b : new BlockBasedTableConfig();
            blocks.setDataBlockIndexType(DataBlockIndexType.kDataBlockBinaryAndHash);
            current.setTableFormatConfig(blocks);
        }
        return current;
    }

    /** Whether memtables get a whole-key filter (tests). */
    public boolean memtableFilter() {
        return memtableFilter;
    }

    /** Whether data blocks get a hash index (tests). */
    public boolean blockHashIndex() {
        return blockHashIndex;
    }

    @Override
    public String toString() {
        return "PointLookupOptions{memtableFilter=" + memtableFilter + ", blockHashIndex=" + blockHashIndex + "}";
    }
}
