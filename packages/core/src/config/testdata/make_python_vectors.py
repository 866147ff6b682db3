"""Generates python-vectors.json: cross-check vectors computed by the Python `adapters` 1.2.0 config code.

Run with the adapters source on PYTHONPATH, torch not needed if `adapters.utils` is stubbed with the pure
functions of utils.py (ADAPTER_CONFIG_HASH_IGNORE_DEFAULT, _minimize_dict, get_adapter_config_hash,
parse_adapter_config_string, resolve_adapter_config) and `adapters/configuration` holds adapter_config.py and
adapter_fusion_config.py copied verbatim. Output is deterministic.

    PYTHONPATH=/tmp/pystub python3 make_python_vectors.py > python-vectors.json
"""

import ast
import json
import math
import random
import struct
import sys

from adapters.configuration.adapter_config import ADAPTER_CONFIG_MAP, AdapterConfig, ConfigUnion
from adapters.configuration.adapter_config import *  # noqa
from adapters.configuration.adapter_fusion_config import AdapterFusionConfig
from adapters.utils import get_adapter_config_hash, _minimize_dict, ADAPTER_CONFIG_HASH_IGNORE_DEFAULT


def hashed_json(config):
    m = _minimize_dict({k: v for (k, v) in config.items()})
    for name, default in ADAPTER_CONFIG_HASH_IGNORE_DEFAULT.items():
        if m.get(name, None) == default:
            del m[name]
    return json.dumps(m, sort_keys=True)


def describe(config_spec, loader=AdapterConfig.load):
    try:
        c = loader(config_spec)
    except Exception as e:  # noqa
        return {"config": config_spec, "error": type(e).__name__}
    if c is None:
        return {"config": config_spec, "error": "NoneResult"}
    try:
        return {
            "config": config_spec,
            "class": type(c).__name__,
            "hash": get_adapter_config_hash(c),
            "hashed_json": hashed_json(c),
            "to_dict_json": json.dumps(c.to_dict()),
            "to_dict_sorted_indent2": json.dumps(c.to_dict(), indent=2, sort_keys=True),
        }
    except Exception as e:  # noqa
        return {"config": config_spec, "error": "after_load_" + type(e).__name__}


out = {"python": sys.version.split()[0], "adapters_version": "1.2.0 (source snapshot)"}

# 1. every identifier of ADAPTER_CONFIG_MAP (1.2.0 field set)
out["identifiers"] = [describe(k) for k in ADAPTER_CONFIG_MAP]

# 2. config strings
valid_strings = [
    "seq_bn[reduction_factor=2, leave_out=[11]]",
    "par_bn[reduction_factor={'0': 8, '1': 8, 'default': 16}]",
    "prefix_tuning[prefix_length=30, flat=True]",
    "lora[r=200,alpha=8]",
    "prefix_tuning|par_bn",
    "lora[attn_matrices=['k', 'v']]",
    "lora[use_gating=True]|prefix_tuning[use_gating=True]|seq_bn[use_gating=True]",
    "par_bn[scaling=2.0]",
    "par_bn[scaling=2]",
    "par_bn[scaling='channel', dropout=0.1]",
    "seq_bn[phm_init_range=1e-4, stochastic_depth=1e-05]",
    "seq_bn[reduction_factor=0x10, phm_dim=0o10, phm_rank=0b11]",
    "seq_bn[reduction_factor=1_000]",
    "seq_bn[reduction_factor=.5]",
    "seq_bn[reduction_factor=2.]",
    "seq_bn[reduction_factor=1.e2]",
    "seq_bn[reduction_factor=-3]",
    "seq_bn[reduction_factor=+3.5]",
    "seq_bn[reduction_factor=- 3]",
    "seq_bn[leave_out=(1, 2)]",
    "seq_bn[leave_out=(1,)]",
    "seq_bn[leave_out=(1)]",
    "seq_bn[leave_out=[]]",
    "seq_bn[leave_out=[0, 1,],]",
    "seq_bn[non_linearity=\"gelu\"]",
    "seq_bn[non_linearity='ge' 'lu']",
    "seq_bn[non_linearity='caf\\u00e9\\t\\x41\\101\\'\"']",
    "seq_bn[non_linearity=r'a\\nb']",
    "seq_bn[non_linearity=u'\u00e9\U0001F600']",
    "seq_bn[non_linearity='a\\qb']",
    "prompt_tuning[prompt_init='from_string', prompt_init_text=\"Classify: x=1\"]",
    "seq_bn[non_linearity=\"x=1\"]",
    "seq_bn[inv_adapter=None, use_gating=False, original_ln_after=True]",
    "lora[r=4, alpha=16, dropout=0.05, attn_matrices=['q','k','v'], intermediate_lora=True]",
    "lora[dtype='float16']",
    "ia3[leave_out=[0]]",
    "vera[vera_d=0.5]",
    "vera[vera_b=1.0, vera_d=1]",
    "dora[r=16]",
    "mtl_lora[n_up_projection=3]",
    "loreft[r=4, layers=[0, 1]]",
    "direft[prefix_positions=5]",
    "mam[leave_out=[1]]",
    "unipelt[leave_out=[1]]",
    "lora|prompt_tuning",
    "loreft|lora",
    "  seq_bn  ",
    "seq_bn[]",
    "lora[r=8, r=4]",
    "seq_bn[reduction_factor={'default': 16, '1': 8}]",
    "seq_bn[reduction_factor={1: 8, 2: 4}]",
    "seq_bn[reduction_factor=1e400]",
    "seq_bn[reduction_factor=123456789012345.0]",
    "seq_bn[reduction_factor=1e16]",
    "seq_bn[reduction_factor=0.1]",
    "prefix_tuning[prefix_length=10]|double_seq_bn[mh_adapter=False]|lora[r=2]",
    "compacter[reduction_factor=4]|prefix_tuning",
    "double_seq_bn[mh_adapter=False]|double_seq_bn[output_adapter=False]",
    "seq_bn[leave_out=[9, 10, 11]]|seq_bn[leave_out=[0]]",
]
invalid_strings = [
    "seq_bn[invalid_key=2]",
    "seq_bn[non_linearity='x' # comment]",
    "prompt_tuning[prompt_init_text='a=b']",
    "prompt_tuning[prompt_init='from_string', prompt_init_text='Classify: x=1']",
    "lora[r=8]|invalid_name",
    "prefix_tuning[flat=True",
    "double_seq_bn[reduction_factor=dict(default=1)]",
    "mam|lora",
    "not_a_method",
    "lora[r=8",
    "",
    "|",
    "lora|",
    "seq_bn[r=1]",
    "unipelt[r=4]",
    "seq_bn|seq_bn",
    "seq_bn|double_seq_bn",
    "lora|lora",
    "lora|vera",
    "prefix_tuning|prefix_tuning_flat",
    "seq_bn[reduction_factor=inf]",
    "seq_bn[reduction_factor=1j]",
    "seq_bn[reduction_factor=--1]",
    "seq_bn[reduction_factor=007]",
    "seq_bn[reduction_factor=1__0]",
    "seq_bn[reduction_factor=1_]",
    "seq_bn[reduction_factor=[1,,2]]",
    "seq_bn[reduction_factor=b'x']",
    "seq_bn[reduction_factor=f'x']",
    "seq_bn[reduction_factor='x]",
    "seq_bn[reduction_factor={1, 2}]",
    "seq_bn[reduction_factor=-True]",
    "seq_bn[1, 2]",
    "seq_bn[reduction_factor=1abc]",
    "seq_bn[reduction_factor=lambda: 1]",
    "seq_bn[reduction_factor=(1 2)]",
    "seq_bn [reduction_factor=2]",
    "seq_bn[reduction_factor=2]x",
    "seq_bn[[reduction_factor=2]",
    "seq_bn[reduction_factor='\\N{BULLET}']",
]
out["config_strings"] = [describe(s) for s in valid_strings]
out["invalid_config_strings"] = [describe(s) for s in invalid_strings]
for e in out["config_strings"]:
    assert "error" not in e, e

# 3. union validation
def union_case(name, members):
    try:
        u = ConfigUnion(*members)
        return {"name": name, "ok": True, "hash": get_adapter_config_hash(u), "to_dict_json": json.dumps(u.to_dict())}
    except Exception as e:  # noqa
        return {"name": name, "ok": False, "error": type(e).__name__}

out["unions"] = [
    union_case("prefix+par_bn", [PrefixTuningConfig(), ParBnConfig()]),
    union_case("prefix+seq_bn", [PrefixTuningConfig(), SeqBnConfig()]),
    union_case("double_seq_bn mh/out split", [DoubleSeqBnConfig(mh_adapter=False), DoubleSeqBnConfig(output_adapter=False, reduction_factor=2)]),
    union_case("seq_bn leave_out", [SeqBnConfig(leave_out=[9, 10, 11], reduction_factor=2), SeqBnConfig(leave_out=list(range(9)))]),
    union_case("mam+seq_bn", [MAMConfig(), SeqBnConfig()]),
    union_case("seq_bn+seq_bn", [SeqBnConfig(), SeqBnConfig()]),
    union_case("seq_bn+double_seq_bn", [SeqBnConfig(), DoubleSeqBnConfig()]),
    union_case("lora+ia3", [LoRAConfig(), IA3Config()]),
    union_case("lora+mtl_lora", [LoRAConfig(), MTLLoRAConfig()]),
    union_case("loreft+noreft", [LoReftConfig(), NoReftConfig()]),
    union_case("lora+ia3 leave_out", [LoRAConfig(leave_out=[0]), IA3Config()]),
    union_case("empty", []),
    union_case("single", [LoRAConfig()]),
    union_case("bn mh only + bn out only", [SeqBnConfig(mh_adapter=True, output_adapter=False), SeqBnConfig()]),
    union_case("bn both differ only mh", [SeqBnConfig(mh_adapter=True), SeqBnConfig()]),
    union_case("three", [PrefixTuningConfig(), LoRAConfig(), PromptTuningConfig(), LoReftConfig(), SeqBnConfig()]),
]

# 4. hashes of odd configs (extras, legacy keys, python == semantics)
def from_dict_case(name, d):
    try:
        c = AdapterConfig.load(d)
    except Exception as e:  # noqa
        return {"name": name, "input_json": json.dumps(d), "error": type(e).__name__}
    return {
        "name": name,
        "input_json": json.dumps(d),
        "class": type(c).__name__,
        "hash": get_adapter_config_hash(c),
        "hashed_json": hashed_json(c),
        "to_dict_json": json.dumps(c.to_dict()),
        "items_json": json.dumps(dict(c.items())) if not isinstance(c, ConfigUnion) else None,
    }

seq = SeqBnConfig().to_dict()
out["from_dict"] = [
    from_dict_case("extra key", dict(seq, my_extra="x")),
    from_dict_case("extra falsy key", dict(seq, my_extra=0)),
    from_dict_case("legacy invertible_adapter", dict(seq, invertible_adapter={"block_type": "glow", "reduction_factor": 4})),
    from_dict_case("legacy invertible_adapter null", dict(seq, invertible_adapter=None)),
    from_dict_case("scaling int 1", dict(seq, scaling=1)),
    from_dict_case("scaling true", dict(seq, scaling=True)),
    from_dict_case("phm_dim 4.0", dict(seq, phm_dim=4.0)),
    from_dict_case("phm_init_range 1e-4", dict(seq, phm_init_range=1e-4)),
    from_dict_case("init_weights bert", dict(ParBnConfig().to_dict(), init_weights="bert")),
    from_dict_case("nested dict minimize", dict(seq, reduction_factor={"default": 16, "1": 0, "2": {}, "3": {"a": 0}})),
    from_dict_case("list not minimized", dict(seq, leave_out=[0, False, None])),
    from_dict_case("unicode", dict(seq, non_linearity="caf\u00e9 \U0001F600 \x7f \x1f")),
    from_dict_case("ia3 as lora", IA3Config().to_dict()),
    from_dict_case("direft reload", DiReftConfig().to_dict()),
    from_dict_case("direft with subtract_projection", dict(DiReftConfig().to_dict(), subtract_projection=False)),
    from_dict_case("architecture null bn", dict(seq, architecture=None)),
    from_dict_case("vera", VeraConfig().to_dict()),
    from_dict_case("mtl", MTLLoRAConfig().to_dict()),
    from_dict_case("bn missing required", {"mh_adapter": True}),
    from_dict_case("unknown architecture", {"architecture": "bottleneck"}),
    from_dict_case("union dict", ConfigUnion(PrefixTuningConfig(), LoRAConfig()).to_dict()),
    from_dict_case("union of one with extra", {"architecture": "union", "configs": [dict(LoRAConfig().to_dict(), foo=[1])]}),
    from_dict_case("union nested", {"architecture": "union", "configs": [MAMConfig().to_dict()]}),
    from_dict_case("big floats", dict(LoRAConfig().to_dict(), dropout=1e-7, alpha=1e22, r=2**53)),
]

# 5. fusion
out["fusion"] = [describe(k, AdapterFusionConfig.load) for k in ["static", "dynamic", "static[temperature=True]", "dynamic[dropout_prob=0.1]", "static|dynamic", "nope"]]

# 6. Python float repr
rnd = random.Random(1234)
floats = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 1e-4, 1e-5, 0.0001, 0.00012345, 1e16, 1e15, 9999999999999998.0,
          12345678901234567.0, 1234567890123456.7, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 2.0 ** 53,
          2.0 ** 53 + 2, 123456789.0, 1e22, 1e21, 1e-7, 100.0, 4.0, 0.05, 1.5, 3.14159, 1e100, 1.5e-7, 0.5, 0.25, 1e-10,
          0.000123, 123e-20, 9.999999999999999e22]
for _ in range(400):
    bits = rnd.getrandbits(64)
    x = struct.unpack("<d", struct.pack("<Q", bits))[0]
    if math.isfinite(x):
        floats.append(x)
for _ in range(200):
    floats.append(rnd.uniform(-1, 1) * 10 ** rnd.randint(-30, 30))
for _ in range(100):
    floats.append(round(rnd.uniform(0, 1000), rnd.randint(0, 6)))
out["float_repr"] = [repr(x) for x in floats]

# 7. json dumps round trips of JSON text (json.loads then json.dumps)
json_texts = [
    '{"b": 1, "a": [1, 2.0, -0.0, 1e-05, 1E5, 1.5e300, -1e-320], "c": {"z": null, "y": true, "x": false}}',
    '{"s": "caf\\u00e9 \\ud83d\\ude00 \\u007f \\u001f \\n \\t \\r \\b \\f \\" \\\\ / \\/ \\ud800 <>&"}',
    '[]', '{}', '[[], {}, [[]], {"a": {}}]', '"x"', '1', '1.0', '-0', '-0.0', 'NaN', '[Infinity, -Infinity, NaN]',
    '{"a": 1, "a": 2, "b": 3}', '{"\\u00e9": 1, "e": 2, "\\ud83d\\ude00": 3, "\\uffff": 4, "_": 5, "A": 6}',
    '123456789012345678', '[1e400, 0.1, 100, 100.0, 1e2]',
    ' \t\n{ "k" : [ 1 , 2 ] }\n ',
]
out["json_roundtrip"] = []
for t in json_texts:
    v = json.loads(t)
    out["json_roundtrip"].append({
        "text": t,
        "dumps": json.dumps(v),
        "dumps_sorted": json.dumps(v, sort_keys=True),
        "dumps_indent2_sorted": json.dumps(v, indent=2, sort_keys=True),
        "dumps_indent2": json.dumps(v, indent=2),
        "dumps_indent0": json.dumps(v, indent=0),
    })
bad_json = ['', '{', '[1,]', '{"a":1,}', "{'a': 1}", '01', '1.', '.5', '+1', 'nan', 'True', '"\\x"', '"a\nb"', '[1] 2', '{"a" 1}', '\ufeff{}']
out["json_invalid"] = []
for t in bad_json:
    try:
        json.loads(t)
        raise AssertionError(t)
    except json.JSONDecodeError:
        out["json_invalid"].append(t)

# 8. python literal eval
literals = [
    "1", "-1", "+1", "1.0", "1e-4", "1E+4", ".5", "5.", "0x1F", "0o17", "0b101", "1_000", "1_0.5_5", "0", "00", "0.0", "-0.0",
    "'a'", '"a"', "'''a'b'''", '"""a"b"""', "'a' \"b\" '''c'''", "r'\\d'", "R'\\''", "u'x'", "U'x'", "'\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\v\\0'",
    "True", "False", "None", "[]", "[1, [2, [3]]]", "()", "(1,)", "(1, 2)", "((1))", "{}", "{'a': 1, 'b': [1, 2]}",
    "{1: 2}", "{'a': 1, 'a': 2}", "{'a': (1, 2.5, None)}", "[1, 2, ]", "  [1]", "[1] # c", "[\n1,\n2\n]", "-1e-5", "1e16", "123456789.0",
    "- 2", "[-0x10]", "{'k': {'n': {'m': []}}}", "'\\\n'", "'\\q'", "9007199254740991",
]
out["literals"] = []
for s in literals:
    v = ast.literal_eval(s)
    out["literals"].append({"src": s, "json": json.dumps(v)})
bad_literals = ["x", "inf", "nan", "dict()", "1 + 2", "1j", "1 + 2j", "{1, 2}", "set()", "b'x'", "f'x'", "--1", "-True", "[1,,2]",
                "(1 2)", "'unterminated", "{'a' 1}", "{**{}}", "...", "[1][0]", "1 if 1 else 2", "lambda: 1", "01", "1__0", "1_",
                "0x", "1e", "'a\nb'", "[1", "]", "", "'\\N{BULLET}'", "a=1"]
out["literals_invalid"] = []
for s in bad_literals:
    try:
        ast.literal_eval(s)
        ok = True
    except Exception:  # noqa
        ok = False
    out["literals_invalid"].append({"src": s, "python_accepts": ok})

json.dump(out, sys.stdout, indent=1, ensure_ascii=True)
sys.stdout.write("\n")
