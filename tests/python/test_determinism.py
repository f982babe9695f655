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
