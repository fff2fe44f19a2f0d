/** @module onnx-graph: a small builder for ONNX graphs on top of onnx-proto's protobuf classes. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

/** A constant tensor: float32 or int64 (TF int32 tensors are carried as int64). */
export type ConstTensor =
  | { dtype: 'float32'; dims: number[]; data: Float32Array }
  | { dtype: 'int64'; dims: number[]; data: BigInt64Array };

/** The ONNX element types this converter produces. */
export type ElementType = 'float32' | 'int64' | 'bool';

export type AttributeValue = number | number[] | ConstTensor;

/** A graph input or output: a name, an element type and a shape of sizes or symbolic names. */
export interface ValueInfo {
  name: string;
  type: ElementType;
  shape: (number | string)[];
}

const ELEMENT_TYPES: Record<ElementType, number> = {
  float32: DataType.FLOAT,
  int64: DataType.INT64,
  bool: DataType.BOOL,
};

export function elementTypeCode(type: ElementType): number {
  return ELEMENT_TYPES[type];
}

export function int64Tensor(values: readonly number[], dims: number[] = [values.length]): ConstTensor {
  return { dtype: 'int64', dims, data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

function tensorProto(name: string, tensor: ConstTensor): onnxProto.onnx.ITensorProto {
  // raw_data is little-endian, as typed arrays are on every platform Node supports.
  const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return {
    name,
    dims: tensor.dims,
    dataType: ELEMENT_TYPES[tensor.dtype],
    rawData: bytes,
  };
}

function attributeProto(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: only integer scalars are supported`);
    return { name, type: AttributeType.INT, i: value };
  }
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  return { name, type: AttributeType.TENSOR, t: tensorProto('', value) };
}

function valueInfoProto(info: ValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: info.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[info.type],
        shape: { dim: info.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Collects nodes and initializers, then serialises them as one ONNX model. */
export class OnnxGraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers = new Map<string, ConstTensor>();
  private nextId = 0;

  /** A fresh name that cannot collide with TF node names (those never start with "__"). */
  uniqueName(prefix: string): string {
    this.nextId += 1;
    return `__${prefix}_${this.nextId}`;
  }

  node(op: string, inputs: string[], outputs: string[], attributes: Record<string, AttributeValue> = {}): void {
    this.nodes.push({
      opType: op,
      name: this.uniqueName(op),
      input: inputs,
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    });
  }

  /** Adds a single-output node under a fresh name and returns that name. */
  step(op: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    const output = this.uniqueName(op.toLowerCase());
    this.node(op, inputs, [output], attributes);
    return output;
  }

  initializer(name: string, tensor: ConstTensor): string {
    this.initializers.set(name, tensor);
    return name;
  }

  /** An anonymous constant, returned by name so it can be used as a node input. */
  constant(tensor: ConstTensor): string {
    return this.initializer(this.uniqueName('const'), tensor);
  }

  ints(values: readonly number[]): string {
    return this.constant(int64Tensor(values));
  }

  /** Serialises the graph; initializers no node reads (e.g. constants folded into attributes) are dropped. */
  encode(options: { graphName: string; producer: string; inputs: ValueInfo[]; outputs: ValueInfo[]; opset: number }): Uint8Array {
    const used = new Set(this.nodes.flatMap((n) => n.input ?? []));
    const initializer = [...this.initializers]
      .filter(([name]) => used.has(name))
      .map(([name, tensor]) => tensorProto(name, tensor));
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: options.producer,
      opsetImport: [{ domain: '', version: options.opset }],
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer,
        input: options.inputs.map(valueInfoProto),
        output: options.outputs.map(valueInfoProto),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
