"""Same seed, different thread counts: the files hold the same data, bit for bit."""
import h5py
import numpy as np


def datasets(path):
    """Every dataset in every group, by full path, read into memory."""
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
        threads = int(f.attrs["threads"])
    return found, threads


def test_same_seed_same_data_on_1_and_2_threads(run_aidflow):
    one, threads_one = datasets(run_aidflow("threads1", "--threads", "1", "--seed", "7"))
    two, threads_two = datasets(run_aidflow("threads2", "--threads", "2", "--seed", "7"))
    assert (threads_one, threads_two) == (1, 2), "the thread count must reach the run"
    assert {"aid_disbursed", "ledger/settled", "summary/total_settled"} <= set(one)
    assert sorted(one) == sorted(two)
    different = [name for name in one if not np.array_equal(one[name], two[name])]
    assert not different, f"datasets differ between 1 and 2 threads: {different}"


def stored_chunks(path):
    """Every chunked dataset's chunks as stored (compressed bytes), by path and chunk offset."""
    found = {}

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset) or obj.chunks is None:
            return
        for i in range(obj.id.get_num_chunks()):
            offset = obj.id.get_chunk_info(i).chunk_offset
            found[(name, offset)] = obj.id.read_direct_chunk(offset)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


def test_compressed_chunks_are_the_same_bytes_on_1_and_2_threads(run_aidflow):
    # The run's threads deflate the series' chunks side by side: each chunk alone, so what is
    # stored must not depend on which thread compressed it.
    one = stored_chunks(run_aidflow("chunks1", "--threads", "1", "--seed", "7"))
    two = stored_chunks(run_aidflow("chunks2", "--threads", "2", "--seed", "7"))
    assert len(one) > 20, "the run file holds chunked, compressed series"
    assert sorted(one) == sorted(two)
    different = [key for key in one if one[key] != two[key]]
    assert not different, f"stored chunks differ between 1 and 2 threads: {different[:5]}"
