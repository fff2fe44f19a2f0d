/**
 * @module convert-graph: translates the TF.js graph of Universal Sentence Encoder lite into an ONNX
 * model (opset 13) that transformers.js runs as a plain encoder. Only the ops this graph uses are
 * mapped; an unknown op fails loudly rather than producing a subtly wrong model.
 */
import { type ConstTensor, type ElementType, OnnxGraphBuilder, elementTypeCode, int64Tensor } from './onnx-graph.js';

interface TfAttr {
  i?: string;
  b?: boolean;
  type?: number | string;
  list?: { i?: string[] };
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface TfGraphModel {
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[];
}

/** USE-lite's sentence vectors have 512 dimensions. */
export const USE_LITE_DIMENSIONS = 512;

const INT64_MAX = 2n ** 63n - 1n;

/** TF DataType enum values (and their string spellings) mapped to the ONNX element types we carry. */
const TF_TYPES: Record<string, ElementType> = {
  '1': 'float32',
  DT_FLOAT: 'float32',
  '3': 'int64',
  DT_INT32: 'int64',
  '9': 'int64',
  DT_INT64: 'int64',
  '10': 'bool',
  DT_BOOL: 'bool',
};

/** Reads the weights of a single-group manifest from its concatenated shards. */
export function readWeights(model: TfGraphModel, shards: readonly Uint8Array[]): Map<string, ConstTensor> {
  const total = shards.reduce((n, s) => n + s.byteLength, 0);
  const buffer = new Uint8Array(total);
  let at = 0;
  for (const shard of shards) {
    buffer.set(shard, at);
    at += shard.byteLength;
  }
  const view = new DataView(buffer.buffer);
  const weights = new Map<string, ConstTensor>();
  let offset = 0;
  for (const spec of model.weightsManifest.flatMap((g) => g.weights)) {
    if (spec.quantization !== undefined) throw new Error(`weight ${spec.name} is quantized; not supported`);
    const count = spec.shape.reduce((n, d) => n * d, 1);
    if (offset + count * 4 > total) throw new Error(`weight ${spec.name} runs past the end of the shards`);
    if (spec.dtype === 'float32') {
      const data = new Float32Array(count);
      for (let k = 0; k < count; k += 1) data[k] = view.getFloat32(offset + k * 4, true);
      weights.set(spec.name, { dtype: 'float32', dims: spec.shape, data });
    } else if (spec.dtype === 'int32') {
      const data = new BigInt64Array(count);
      for (let k = 0; k < count; k += 1) data[k] = BigInt(view.getInt32(offset + k * 4, true));
      weights.set(spec.name, { dtype: 'int64', dims: spec.shape, data });
    } else {
      throw new Error(`weight ${spec.name} has unsupported dtype ${spec.dtype}`);
    }
    offset += count * 4;
  }
  if (offset !== total) throw new Error(`the shards hold ${total} bytes but the manifest describes ${offset}`);
  return weights;
}

/** TF input references look like "name", "name:1" or "^control"; output 0 is the bare name. */
function tensorRef(input: string): string {
  const colon = input.lastIndexOf(':');
  if (colon < 0) return input;
  return input.slice(colon + 1) === '0' ? input.slice(0, colon) : input;
}

function nodeOf(input: string): string {
  return input.replace(/^\^/, '').split(':')[0] ?? input;
}

function intAttr(node: TfNode, key: string, fallback = 0): number {
  const value = node.attr?.[key]?.i;
  return value === undefined ? fallback : Number(value);
}

function boolAttr(node: TfNode, key: string): boolean {
  return node.attr?.[key]?.b ?? false;
}

function intListAttr(node: TfNode, key: string): number[] {
  return (node.attr?.[key]?.list?.i ?? []).map(Number);
}

function typeAttr(node: TfNode, key: string): ElementType {
  const raw = node.attr?.[key]?.type;
  const type = raw === undefined ? undefined : TF_TYPES[String(raw)];
  if (type === undefined) throw new Error(`node ${node.name}: unsupported ${key} ${String(raw)}`);
  return type;
}

function topologicalOrder(nodes: readonly TfNode[]): TfNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: TfNode): void => {
    const seen = state.get(node.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new Error(`the graph has a cycle through ${node.name}`);
    state.set(node.name, 'visiting');
    for (const input of node.input ?? []) {
      const dependency = byName.get(nodeOf(input));
      if (dependency) visit(dependency);
    }
    state.set(node.name, 'done');
    order.push(node);
  };
  nodes.forEach(visit);
  return order;
}

/** Converts the graph; returns the serialised ONNX model. */
export function convertUseLiteGraph(model: TfGraphModel, weights: ReadonlyMap<string, ConstTensor>): Uint8Array {
  const g = new OnnxGraphBuilder();
  const nodes = model.modelTopology.node;

  const staticInts = (input: string): number[] => {
    const tensor = weights.get(tensorRef(input));
    if (!tensor || tensor.dtype !== 'int64') throw new Error(`expected an integer constant, got ${input}`);
    return Array.from(tensor.data, Number);
  };
  const staticInt = (input: string): number => {
    const [value] = staticInts(input);
    if (value === undefined) throw new Error(`constant ${input} is empty`);
    return value;
  };

  // USE-lite wants a sparse batch: indices [N,2] of the real tokens and their ids [N].
  g.node('Transpose', [g.step('NonZero', ['attention_mask'])], ['indices'], { perm: [1, 0] });
  g.node('GatherND', ['input_ids', 'indices'], ['values']);

  for (const node of topologicalOrder(nodes)) {
    const ins = (node.input ?? []).filter((i) => !i.startsWith('^')).map(tensorRef);
    const out = node.name;
    const [a = '', b = '', c = '', d = ''] = ins;
    switch (node.op) {
      case 'Placeholder':
        break; // "indices" and "values" come from the wrapper above
      case 'Const': {
        const tensor = weights.get(out);
        if (!tensor) throw new Error(`constant ${out} has no weights`);
        g.initializer(out, tensor);
        break;
      }
      case 'Add':
      case 'AddV2':
      case 'BiasAdd':
        g.node('Add', [a, b], [out]);
        break;
      case 'Sub':
      case 'Mul':
      case 'Less':
      case 'Greater':
      case 'Sin':
      case 'Cos':
      case 'Tanh':
      case 'Relu':
      case 'Shape':
      case 'Reshape':
      case 'Range':
        g.node(node.op, ins, [out]);
        break;
      case 'RealDiv':
        g.node('Div', ins, [out]);
        break;
      case 'Maximum':
        g.node('Max', ins, [out]);
        break;
      case 'LogicalNot':
        g.node('Not', ins, [out]);
        break;
      case 'Softmax':
        g.node('Softmax', ins, [out], { axis: -1 });
        break;
      case 'Square':
        g.node('Mul', [a, a], [out]);
        break;
      case 'Rsqrt':
        g.node('Reciprocal', [g.step('Sqrt', [a])], [out]);
        break;
      case 'Cast':
        g.node('Cast', [a], [out], { to: elementTypeCode(typeAttr(node, 'DstT')) });
        break;
      case 'Where':
        if (ins.length !== 1) throw new Error(`node ${out}: only the one-input Where is supported`);
        g.node('Transpose', [g.step('NonZero', [a])], [out], { perm: [1, 0] });
        break;
      case 'GatherV2':
        g.node('Gather', [a, b], [out], { axis: staticInt(c) });
        break;
      case 'GatherNd':
        g.node('GatherND', [a, b], [out]);
        break;
      case 'Max':
      case 'Mean':
      case 'Prod':
      case 'Sum': {
        const axes = staticInts(b);
        const keepdims = boolAttr(node, 'keep_dims') ? 1 : 0;
        // In opset 13 only ReduceSum takes its axes as an input.
        if (node.op === 'Sum') g.node('ReduceSum', [a, g.ints(axes)], [out], { keepdims });
        else g.node(`Reduce${node.op}`, [a], [out], { axes, keepdims });
        break;
      }
      case 'ConcatV2':
        g.node('Concat', ins.slice(0, -1), [out], { axis: staticInt(ins.at(-1) ?? '') });
        break;
      case 'ExpandDims':
        g.node('Unsqueeze', [a, g.ints([staticInt(b)])], [out]);
        break;
      case 'Squeeze': {
        const dims = intListAttr(node, 'squeeze_dims');
        g.node('Squeeze', dims.length > 0 ? [a, g.ints(dims)] : [a], [out]);
        break;
      }
      case 'Pack': {
        const axis = intAttr(node, 'axis');
        const parts = ins.map((input) => g.step('Unsqueeze', [input, g.ints([axis])]));
        g.node('Concat', parts, [out], { axis });
        break;
      }
      case 'Transpose':
        g.node('Transpose', [a], [out], { perm: staticInts(b) });
        break;
      case 'StridedSlice':
        convertStridedSlice(g, node, a, staticInts(b), staticInts(c), staticInts(d));
        break;
      case 'Slice': {
        const begin = staticInts(b);
        const ends = staticInts(c).map((size, k) => (size === -1 ? INT64_MAX : BigInt((begin[k] ?? 0) + size)));
        const axes = begin.map((_, k) => k);
        g.node('Slice', [a, g.ints(begin), g.constant({ dtype: 'int64', dims: [ends.length], data: BigInt64Array.from(ends) }), g.ints(axes)], [out]);
        break;
      }
      case 'SplitV': {
        const sizes = staticInts(b);
        const outputs = sizes.map((_, k) => (k === 0 ? out : `${out}:${k}`));
        g.node('Split', [a, g.ints(sizes)], outputs, { axis: staticInt(c) });
        break;
      }
      case 'SparseToDense':
        // (indices, output_shape, values, default) → dense tensor filled with default
        g.node('ScatterND', [g.step('Expand', [d, b]), a, c], [out]);
        break;
      case 'ScatterNd': {
        const zeros = g.step('ConstantOfShape', [c], { value: { dtype: 'float32', dims: [1], data: new Float32Array([0]) } });
        g.node('ScatterND', [zeros, a, b], [out]);
        break;
      }
      case 'MatMul': {
        const left = boolAttr(node, 'transpose_a') ? g.step('Transpose', [a], { perm: [1, 0] }) : a;
        const right = boolAttr(node, 'transpose_b') ? g.step('Transpose', [b], { perm: [1, 0] }) : b;
        g.node('MatMul', [left, right], [out]);
        break;
      }
      case 'BatchMatMul':
      case 'BatchMatMulV2': {
        const left = boolAttr(node, 'adj_x') ? g.step('Transpose', [a], { perm: [0, 1, 3, 2] }) : a;
        const right = boolAttr(node, 'adj_y') ? g.step('Transpose', [b], { perm: [0, 1, 3, 2] }) : b;
        g.node('MatMul', [left, right], [out]);
        break;
      }
      case 'Conv2D': {
        // Every Conv2D in this graph is a 1×1, stride-1 NHWC convolution: a MatMul over channels.
        const kernel = weights.get(b);
        const [kh, kw, inChannels = 0, outChannels = 0] = kernel?.dims ?? [];
        if (!kernel || kernel.dtype !== 'float32' || kh !== 1 || kw !== 1) throw new Error(`node ${out}: only 1×1 float kernels are supported`);
        if (intListAttr(node, 'strides').some((s) => s !== 1)) throw new Error(`node ${out}: only stride 1 is supported`);
        const matrix = g.constant({ dtype: 'float32', dims: [inChannels, outChannels], data: kernel.data });
        g.node('MatMul', [a, matrix], [out]);
        break;
      }
      default:
        throw new Error(`node ${out}: TF op ${node.op} is not supported by this converter`);
    }
  }

  const consumed = new Set(nodes.flatMap((n) => (n.input ?? []).map(nodeOf)));
  const finals = nodes.filter((n) => !consumed.has(n.name) && n.op !== 'Const' && n.op !== 'Placeholder');
  const [final] = finals;
  if (!final || finals.length !== 1) throw new Error(`expected one output node, found ${finals.length}`);

  g.node('Identity', [final.name], ['sentence_embedding']);
  // transformers.js mean-pools last_hidden_state, so broadcasting the sentence vector over the
  // sequence makes its pooling return the sentence vector exactly.
  const lhsShape = g.step('Concat', [g.step('Shape', ['input_ids']), g.ints([USE_LITE_DIMENSIONS])], { axis: 0 });
  g.node('Expand', [g.step('Unsqueeze', ['sentence_embedding', g.ints([1])]), lhsShape], ['last_hidden_state']);

  return g.encode({
    graphName: 'universal_sentence_encoder_lite',
    producer: 'story-qa-bot use-lite converter',
    opset: 13,
    inputs: [
      { name: 'input_ids', type: 'int64', shape: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', type: 'int64', shape: ['batch_size', 'sequence_length'] },
    ],
    outputs: [
      { name: 'last_hidden_state', type: 'float32', shape: ['batch_size', 'sequence_length', USE_LITE_DIMENSIONS] },
      { name: 'sentence_embedding', type: 'float32', shape: ['batch_size', USE_LITE_DIMENSIONS] },
    ],
  });
}

/** TF StridedSlice with begin/end/shrink masks → ONNX Slice (+ Squeeze for shrunk axes). */
function convertStridedSlice(g: OnnxGraphBuilder, node: TfNode, input: string, begin: number[], end: number[], strides: number[]): void {
  if (intAttr(node, 'ellipsis_mask') !== 0 || intAttr(node, 'new_axis_mask') !== 0) {
    throw new Error(`node ${node.name}: ellipsis and new-axis masks are not supported`);
  }
  const beginMask = intAttr(node, 'begin_mask');
  const endMask = intAttr(node, 'end_mask');
  const shrinkMask = intAttr(node, 'shrink_axis_mask');
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const shrunk: number[] = [];
  begin.forEach((first, axis) => {
    const step = strides[axis] ?? 1;
    const bit = (mask: number): boolean => ((mask >> axis) & 1) === 1;
    let start = BigInt(bit(beginMask) ? (step > 0 ? 0 : -1) : first);
    let stop = bit(endMask) ? (step > 0 ? INT64_MAX : -INT64_MAX) : BigInt(end[axis] ?? 0);
    if (bit(shrinkMask)) {
      start = BigInt(first);
      stop = first === -1 ? INT64_MAX : start + 1n;
      shrunk.push(axis);
    }
    starts.push(start);
    ends.push(stop);
  });
  const int64 = (values: bigint[]): string => g.constant({ dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values) });
  const axes = g.constant(int64Tensor(begin.map((_, k) => k)));
  const sliceInputs = [input, int64(starts), int64(ends), axes, g.ints(strides)];
  if (shrunk.length === 0) {
    g.node('Slice', sliceInputs, [node.name]);
  } else {
    g.node('Squeeze', [g.step('Slice', sliceInputs), g.ints(shrunk)], [node.name]);
  }
}
