"""Every docstring example in the soleus package runs (with ``soleus`` and ``np`` in scope, as the docs show)."""
import doctest
import importlib
import os

import numpy as np
import pytest

import soleus

MODULES = ["soleus", "soleus.analysis", "soleus._session", "soleus._emg", "soleus._filters", "soleus._reps",
           "soleus._spectral", "soleus._activity", "soleus.io", "soleus.sim", "soleus.demo", "soleus.plot"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    if name == "soleus.plot":
        pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"soleus": soleus, "np": np}, optionflags=doctest.ELLIPSIS,
                             report=True, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
