from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OutputFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JSON: _ClassVar[OutputFormat]
    CSV: _ClassVar[OutputFormat]
    SQL: _ClassVar[OutputFormat]

class FieldType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STRING: _ClassVar[FieldType]
    INTEGER: _ClassVar[FieldType]
    FLOAT: _ClassVar[FieldType]
    BOOLEAN: _ClassVar[FieldType]
    DATE: _ClassVar[FieldType]
    DATETIME: _ClassVar[FieldType]
    EMAIL: _ClassVar[FieldType]
    PHONE: _ClassVar[FieldType]
    ADDRESS: _ClassVar[FieldType]
    UUID: _ClassVar[FieldType]
    ENUM: _ClassVar[FieldType]
    OBJECT: _ClassVar[FieldType]
    ARRAY: _ClassVar[FieldType]
JSON: OutputFormat
CSV: OutputFormat
SQL: OutputFormat
STRING: FieldType
INTEGER: FieldType
FLOAT: FieldType
BOOLEAN: FieldType
DATE: FieldType
DATETIME: FieldType
EMAIL: FieldType
PHONE: FieldType
ADDRESS: FieldType
UUID: FieldType
ENUM: FieldType
OBJECT: FieldType
ARRAY: FieldType

class GenerateRequest(_message.Message):
    __slots__ = ("request_id", "domain", "entity", "count", "context", "scenarios", "hints", "output_format", "use_cache", "learn_from_history", "defect_triggering", "production_like", "inline_schema", "schema", "constraints")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    SCENARIOS_FIELD_NUMBER: _ClassVar[int]
    HINTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FORMAT_FIELD_NUMBER: _ClassVar[int]
    USE_CACHE_FIELD_NUMBER: _ClassVar[int]
    LEARN_FROM_HISTORY_FIELD_NUMBER: _ClassVar[int]
    DEFECT_TRIGGERING_FIELD_NUMBER: _ClassVar[int]
    PRODUCTION_LIKE_FIELD_NUMBER: _ClassVar[int]
    INLINE_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    CONSTRAINTS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    domain: str
    entity: str
    count: int
    context: str
    scenarios: _containers.RepeatedCompositeFieldContainer[Scenario]
    hints: _containers.RepeatedScalarFieldContainer[str]
    output_format: OutputFormat
    use_cache: bool
    learn_from_history: bool
    defect_triggering: bool
    production_like: bool
    inline_schema: str
    schema: Schema
    constraints: Constraints
    def __init__(self, request_id: _Optional[str] = ..., domain: _Optional[str] = ..., entity: _Optional[str] = ..., count: _Optional[int] = ..., context: _Optional[str] = ..., scenarios: _Optional[_Iterable[_Union[Scenario, _Mapping]]] = ..., hints: _Optional[_Iterable[str]] = ..., output_format: _Optional[_Union[OutputFormat, str]] = ..., use_cache: _Optional[bool] = ..., learn_from_history: _Optional[bool] = ..., defect_triggering: _Optional[bool] = ..., production_like: _Optional[bool] = ..., inline_schema: _Optional[str] = ..., schema: _Optional[_Union[Schema, _Mapping]] = ..., constraints: _Optional[_Union[Constraints, _Mapping]] = ...) -> None: ...

class Scenario(_message.Message):
    __slots__ = ("name", "count", "description", "overrides")
    class OverridesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    OVERRIDES_FIELD_NUMBER: _ClassVar[int]
    name: str
    count: int
    description: str
    overrides: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., count: _Optional[int] = ..., description: _Optional[str] = ..., overrides: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Schema(_message.Message):
    __slots__ = ("predefined_schema", "fields")
    PREDEFINED_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    predefined_schema: str
    fields: _containers.RepeatedCompositeFieldContainer[Field]
    def __init__(self, predefined_schema: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[Field, _Mapping]]] = ...) -> None: ...

class Field(_message.Message):
    __slots__ = ("name", "type", "required", "description", "nested_fields")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NESTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: FieldType
    required: bool
    description: str
    nested_fields: _containers.RepeatedCompositeFieldContainer[Field]
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[FieldType, str]] = ..., required: _Optional[bool] = ..., description: _Optional[str] = ..., nested_fields: _Optional[_Iterable[_Union[Field, _Mapping]]] = ...) -> None: ...

class Constraints(_message.Message):
    __slots__ = ("field_constraints",)
    class FieldConstraintsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: FieldConstraint
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[FieldConstraint, _Mapping]] = ...) -> None: ...
    FIELD_CONSTRAINTS_FIELD_NUMBER: _ClassVar[int]
    field_constraints: _containers.MessageMap[str, FieldConstraint]
    def __init__(self, field_constraints: _Optional[_Mapping[str, FieldConstraint]] = ...) -> None: ...

class FieldConstraint(_message.Message):
    __slots__ = ("min", "max", "enum_values", "regex", "min_length", "max_length", "format")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    ENUM_VALUES_FIELD_NUMBER: _ClassVar[int]
    REGEX_FIELD_NUMBER: _ClassVar[int]
    MIN_LENGTH_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    min: float
    max: float
    enum_values: _containers.RepeatedScalarFieldContainer[str]
    regex: str
    min_length: int
    max_length: int
    format: str
    def __init__(self, min: _Optional[float] = ..., max: _Optional[float] = ..., enum_values: _Optional[_Iterable[str]] = ..., regex: _Optional[str] = ..., min_length: _Optional[int] = ..., max_length: _Optional[int] = ..., format: _Optional[str] = ...) -> None: ...

class GenerateResponse(_message.Message):
    __slots__ = ("request_id", "success", "data", "record_count", "metadata", "error")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    success: bool
    data: str
    record_count: int
    metadata: GenerationMetadata
    error: str
    def __init__(self, request_id: _Optional[str] = ..., success: _Optional[bool] = ..., data: _Optional[str] = ..., record_count: _Optional[int] = ..., metadata: _Optional[_Union[GenerationMetadata, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...

class GenerationMetadata(_message.Message):
    __slots__ = ("generation_path", "llm_tokens_used", "generation_time_ms", "coherence_score", "scenario_counts")
    class ScenarioCountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    GENERATION_PATH_FIELD_NUMBER: _ClassVar[int]
    LLM_TOKENS_USED_FIELD_NUMBER: _ClassVar[int]
    GENERATION_TIME_MS_FIELD_NUMBER: _ClassVar[int]
    COHERENCE_SCORE_FIELD_NUMBER: _ClassVar[int]
    SCENARIO_COUNTS_FIELD_NUMBER: _ClassVar[int]
    generation_path: str
    llm_tokens_used: int
    generation_time_ms: float
    coherence_score: float
    scenario_counts: _containers.ScalarMap[str, int]
    def __init__(self, generation_path: _Optional[str] = ..., llm_tokens_used: _Optional[int] = ..., generation_time_ms: _Optional[float] = ..., coherence_score: _Optional[float] = ..., scenario_counts: _Optional[_Mapping[str, int]] = ...) -> None: ...

class GetSchemasRequest(_message.Message):
    __slots__ = ("domain",)
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    domain: str
    def __init__(self, domain: _Optional[str] = ...) -> None: ...

class GetSchemasResponse(_message.Message):
    __slots__ = ("schemas",)
    SCHEMAS_FIELD_NUMBER: _ClassVar[int]
    schemas: _containers.RepeatedCompositeFieldContainer[SchemaInfo]
    def __init__(self, schemas: _Optional[_Iterable[_Union[SchemaInfo, _Mapping]]] = ...) -> None: ...

class SchemaInfo(_message.Message):
    __slots__ = ("name", "domain", "description", "fields")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    domain: str
    description: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., domain: _Optional[str] = ..., description: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ...) -> None: ...

class HealthCheckRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HealthCheckResponse(_message.Message):
    __slots__ = ("status", "components")
    class ComponentsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COMPONENTS_FIELD_NUMBER: _ClassVar[int]
    status: str
    components: _containers.ScalarMap[str, str]
    def __init__(self, status: _Optional[str] = ..., components: _Optional[_Mapping[str, str]] = ...) -> None: ...
