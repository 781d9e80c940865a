"""The qasync loop the service tests drive (tests/qt_loop.py) keeps itself registered as the running loop
for the last pass of Qt's events that ``run_until_complete`` makes after the awaited future is done."""

from __future__ import annotations

import asyncio

import pytest


@pytest.mark.gui
def test_a_callback_due_in_the_last_pass_finds_its_running_loop(qt_loop: asyncio.AbstractEventLoop) -> None:
    found: list[object] = []

    def check() -> None:  # what a coroutine's step needs (asyncio.wait, sleep): the running loop
        try:
            found.append(asyncio.get_running_loop())
        except RuntimeError as exc:  # stock qasync: "no running event loop"
            found.append(str(exc))

    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.add_done_callback(lambda _: qt_loop.call_soon(check))  # falls due after the loop was told to stop
        await asyncio.sleep(0.005)

    for _ in range(3):
        qt_loop.run_until_complete(main())
    assert found == [qt_loop] * 3
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()  # and nothing is left registered once it returns
