from apipack.lr_schedule import linear_warmup_decay


def test_warms_up_without_a_zero_step_then_decays_to_zero():
    f = linear_warmup_decay(10, 3)
    assert [round(f(s), 3) for s in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert f(9) > 0 and f(10) == 0.0 and f(12) == 0.0
    no_warmup = linear_warmup_decay(4, 0)
    assert [no_warmup(s) for s in range(4)] == [1.0, 0.75, 0.5, 0.25]
