from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from .io import Recording

class Analysis:
    source: str
    summary: pd.DataFrame
    spectral: pd.DataFrame
    quality: pd.DataFrame
    bursts: Optional[pd.DataFrame]
    reps: Optional[pd.DataFrame]
    envelope: Optional[npt.NDArray[np.float64]]
    envelope_t_s: Optional[npt.NDArray[np.float64]]
    envelope_unit: str
    channels: Tuple[str, ...]
    notes: List[str]
    def tables(self) -> Dict[str, pd.DataFrame]: ...
    def to_dict(self) -> Dict[str, Any]: ...

def analyze_recording(rec: Recording, *, mains_hz: float = 50.0, band_hz: Tuple[float, float] = (20.0, 450.0),
                      envelope_hz: float = 6.0, window_s: float = 0.5) -> Analysis: ...
