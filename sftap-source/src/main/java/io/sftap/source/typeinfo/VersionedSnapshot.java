package io.sftap.source.typeinfo;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Snapshot of a stateless compact serializer: records only the version of its byte layout.
 *
 * <p>A savepoint written with layout {@code n} restores only with a serializer whose layout is
 * {@code n}: keys in RocksDB cannot be migrated, so a changed key layout must be refused loudly
 * rather than read wrongly. Subclasses keep a public no-argument constructor (Flink instantiates
 * snapshots reflectively on restore).
 */
@Internal
public abstract class VersionedSnapshot<T> implements TypeSerializerSnapshot<T> {
    private final Supplier<TypeSerializer<T>> serializer;
    private final int currentLayout;
    private int readLayout;

    protected VersionedSnapshot(Supplier<TypeSerializer<T>> serializer, int currentLayout) {
        this.serializer = serializer;
        this.currentLayout = currentLayout;
        this.readLayout = currentLayout;
    }

    @Override
    public int getCurrentVersion() {
        return currentLayout;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        // The snapshot version written by Flink before this is the layout; nothing else to keep.
    }

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
        if (version < 1 || version > currentLayout) {
            throw new IOException(getClass().getSimpleName() + ": layout " + version
                    + " is unknown to this release (it reads 1.." + currentLayout + ")");
        }
        readLayout = version;
    }

    /** The layout of the serializer this snapshot describes. */
    public int layout() {
        return readLayout;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        if (readLayout != currentLayout) {
            throw new IllegalStateException(getClass().getSimpleName() + ": layout " + readLayout
                    + " has no reader in this release");
        }
        return serializer.get();
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        return ((VersionedSnapshot<T>) old).layout() == currentLayout
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
