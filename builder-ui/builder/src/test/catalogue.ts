// GET /api/v1/block-types as the server answers it (the built-in types' settings schemas, as
// pydantic writes them: $defs, $ref, anyOf with null, patternProperties per language...).
// Refresh: print `scenarios.format.block_registry.catalogue()` as JSON.
import { toBlockTypes, type BlockType } from "../api/types";

export const REAL_CATALOGUE_JSON: unknown[] = [
  {
    "name": "message",
    "description": "Send a text, media or buttons; with buttons, wait for a choice.",
    "category": "messaging",
    "settings_schema": {
      "$defs": {
        "Button": {
          "additionalProperties": false,
          "properties": {
            "id": {
              "pattern": "^[A-Za-z0-9._~:@+-]{1,64}$",
              "title": "Id",
              "type": "string"
            },
            "label": {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "title": "Label",
              "type": "object"
            },
            "value": {
              "default": null,
              "maxLength": 1000,
              "title": "Value",
              "type": [
                "string",
                "number",
                "boolean",
                "null"
              ]
            },
            "url": {
              "anyOf": [
                {
                  "maxLength": 2048,
                  "pattern": "^https?://[^\\s/$.?#][^\\s]*$",
                  "type": "string"
                },
                {
                  "type": "null"
                }
              ],
              "default": null,
              "title": "Url"
            }
          },
          "required": [
            "id",
            "label"
          ],
          "title": "Button",
          "type": "object"
        },
        "Media": {
          "additionalProperties": false,
          "properties": {
            "kind": {
              "enum": [
                "image",
                "file",
                "video",
                "audio"
              ],
              "title": "Kind",
              "type": "string"
            },
            "url": {
              "maxLength": 2048,
              "pattern": "^https?://[^\\s/$.?#][^\\s]*$",
              "title": "Url",
              "type": "string"
            },
            "caption": {
              "anyOf": [
                {
                  "patternProperties": {
                    "^[a-z]{2,3}(-[A-Z]{2})?$": {
                      "minLength": 1,
                      "type": "string"
                    }
                  },
                  "type": "object"
                },
                {
                  "type": "null"
                }
              ],
              "default": null,
              "title": "Caption"
            }
          },
          "required": [
            "kind",
            "url"
          ],
          "title": "Media",
          "type": "object"
        },
        "QuickReply": {
          "additionalProperties": false,
          "properties": {
            "id": {
              "pattern": "^[A-Za-z0-9._~:@+-]{1,64}$",
              "title": "Id",
              "type": "string"
            },
            "label": {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "title": "Label",
              "type": "object"
            },
            "value": {
              "default": null,
              "maxLength": 1000,
              "title": "Value",
              "type": [
                "string",
                "number",
                "boolean",
                "null"
              ]
            }
          },
          "required": [
            "id",
            "label"
          ],
          "title": "QuickReply",
          "type": "object"
        }
      },
      "additionalProperties": false,
      "properties": {
        "text": {
          "anyOf": [
            {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "type": "object"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Text"
        },
        "media": {
          "anyOf": [
            {
              "$ref": "#/$defs/Media"
            },
            {
              "type": "null"
            }
          ],
          "default": null
        },
        "buttons": {
          "items": {
            "$ref": "#/$defs/Button"
          },
          "maxItems": 12,
          "title": "Buttons",
          "type": "array"
        },
        "quick_replies": {
          "items": {
            "$ref": "#/$defs/QuickReply"
          },
          "maxItems": 12,
          "title": "Quick Replies",
          "type": "array"
        },
        "store_choice_in": {
          "anyOf": [
            {
              "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$",
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Store Choice In"
        },
        "timeout_seconds": {
          "anyOf": [
            {
              "maximum": 604800,
              "minimum": 1,
              "type": "number"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Timeout Seconds"
        }
      },
      "title": "MessageSettings",
      "type": "object"
    },
    "ports": null,
    "dynamic_ports": true,
    "waits_for_input": null
  },
  {
    "name": "input",
    "description": "Ask a question and store the validated answer in a variable.",
    "category": "messaging",
    "settings_schema": {
      "$defs": {
        "Choice": {
          "additionalProperties": false,
          "properties": {
            "id": {
              "pattern": "^[A-Za-z0-9._~:@+-]{1,64}$",
              "title": "Id",
              "type": "string"
            },
            "label": {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "title": "Label",
              "type": "object"
            },
            "value": {
              "default": null,
              "maxLength": 1000,
              "title": "Value",
              "type": [
                "string",
                "number",
                "boolean",
                "null"
              ]
            }
          },
          "required": [
            "id",
            "label"
          ],
          "title": "Choice",
          "type": "object"
        }
      },
      "additionalProperties": false,
      "properties": {
        "kind": {
          "enum": [
            "text",
            "number",
            "email",
            "phone",
            "date",
            "choice"
          ],
          "title": "Kind",
          "type": "string"
        },
        "prompt": {
          "patternProperties": {
            "^[a-z]{2,3}(-[A-Z]{2})?$": {
              "minLength": 1,
              "type": "string"
            }
          },
          "title": "Prompt",
          "type": "object"
        },
        "variable": {
          "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$",
          "title": "Variable",
          "type": "string"
        },
        "choices": {
          "items": {
            "$ref": "#/$defs/Choice"
          },
          "maxItems": 50,
          "title": "Choices",
          "type": "array"
        },
        "min": {
          "anyOf": [
            {
              "type": "number"
            },
            {
              "maxLength": 20,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Min"
        },
        "max": {
          "anyOf": [
            {
              "type": "number"
            },
            {
              "maxLength": 20,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Max"
        },
        "step": {
          "anyOf": [
            {
              "exclusiveMinimum": 0,
              "type": "number"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Step"
        },
        "integer": {
          "default": false,
          "title": "Integer",
          "type": "boolean"
        },
        "weekdays": {
          "anyOf": [
            {
              "items": {
                "enum": [
                  "mon",
                  "tue",
                  "wed",
                  "thu",
                  "fri",
                  "sat",
                  "sun"
                ],
                "type": "string"
              },
              "maxItems": 7,
              "minItems": 1,
              "type": "array"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Weekdays"
        },
        "min_length": {
          "anyOf": [
            {
              "minimum": 0,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Min Length"
        },
        "max_length": {
          "anyOf": [
            {
              "minimum": 1,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Max Length"
        },
        "pattern": {
          "anyOf": [
            {
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Pattern"
        },
        "reprompt": {
          "anyOf": [
            {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "type": "object"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Reprompt"
        },
        "reprompts": {
          "anyOf": [
            {
              "additionalProperties": {
                "patternProperties": {
                  "^[a-z]{2,3}(-[A-Z]{2})?$": {
                    "minLength": 1,
                    "type": "string"
                  }
                },
                "type": "object"
              },
              "propertyNames": {
                "enum": [
                  "integer",
                  "min",
                  "max",
                  "step",
                  "weekday",
                  "format",
                  "length",
                  "pattern"
                ]
              },
              "type": "object"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Reprompts"
        },
        "max_attempts": {
          "default": 3,
          "maximum": 10,
          "minimum": 1,
          "title": "Max Attempts",
          "type": "integer"
        },
        "timeout_seconds": {
          "anyOf": [
            {
              "maximum": 604800,
              "minimum": 1,
              "type": "number"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Timeout Seconds"
        }
      },
      "required": [
        "kind",
        "prompt",
        "variable"
      ],
      "title": "InputSettings",
      "type": "object"
    },
    "ports": null,
    "dynamic_ports": true,
    "waits_for_input": true
  },
  {
    "name": "condition",
    "description": "Branch on variables.",
    "category": "logic",
    "settings_schema": {
      "$defs": {
        "AllOf": {
          "additionalProperties": false,
          "properties": {
            "all": {
              "items": {
                "oneOf": [
                  {
                    "$ref": "#/$defs/Comparison"
                  },
                  {
                    "$ref": "#/$defs/AllOf"
                  },
                  {
                    "$ref": "#/$defs/AnyOf"
                  },
                  {
                    "$ref": "#/$defs/Not"
                  }
                ]
              },
              "maxItems": 100,
              "minItems": 1,
              "title": "All",
              "type": "array"
            }
          },
          "required": [
            "all"
          ],
          "title": "AllOf",
          "type": "object"
        },
        "AnyOf": {
          "additionalProperties": false,
          "properties": {
            "any": {
              "items": {
                "oneOf": [
                  {
                    "$ref": "#/$defs/Comparison"
                  },
                  {
                    "$ref": "#/$defs/AllOf"
                  },
                  {
                    "$ref": "#/$defs/AnyOf"
                  },
                  {
                    "$ref": "#/$defs/Not"
                  }
                ]
              },
              "maxItems": 100,
              "minItems": 1,
              "title": "Any",
              "type": "array"
            }
          },
          "required": [
            "any"
          ],
          "title": "AnyOf",
          "type": "object"
        },
        "Comparison": {
          "additionalProperties": false,
          "properties": {
            "left": {
              "oneOf": [
                {
                  "$ref": "#/$defs/VarOperand"
                },
                {
                  "$ref": "#/$defs/ValueOperand"
                }
              ],
              "title": "Left"
            },
            "op": {
              "enum": [
                "equals",
                "not_equals",
                "contains",
                "not_contains",
                "starts_with",
                "ends_with",
                "greater",
                "greater_or_equal",
                "less",
                "less_or_equal",
                "matches",
                "is_set",
                "is_not_set",
                "is_empty"
              ],
              "title": "Op",
              "type": "string"
            },
            "right": {
              "anyOf": [
                {
                  "oneOf": [
                    {
                      "$ref": "#/$defs/VarOperand"
                    },
                    {
                      "$ref": "#/$defs/ValueOperand"
                    }
                  ]
                },
                {
                  "type": "null"
                }
              ],
              "default": null,
              "title": "Right"
            }
          },
          "required": [
            "left",
            "op"
          ],
          "title": "Comparison",
          "type": "object"
        },
        "JsonValue": {},
        "Not": {
          "additionalProperties": false,
          "properties": {
            "not": {
              "oneOf": [
                {
                  "$ref": "#/$defs/Comparison"
                },
                {
                  "$ref": "#/$defs/AllOf"
                },
                {
                  "$ref": "#/$defs/AnyOf"
                },
                {
                  "$ref": "#/$defs/Not"
                }
              ],
              "title": "Not"
            }
          },
          "required": [
            "not"
          ],
          "title": "Not",
          "type": "object"
        },
        "ValueOperand": {
          "additionalProperties": false,
          "properties": {
            "value": {
              "$ref": "#/$defs/JsonValue"
            }
          },
          "required": [
            "value"
          ],
          "title": "ValueOperand",
          "type": "object"
        },
        "VarOperand": {
          "additionalProperties": false,
          "properties": {
            "var": {
              "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\\.[A-Za-z0-9_]{1,64}|\\[(?:-?[0-9]{1,9}|'[^'\\]]{0,64}'|\\\"[^\\\"\\]]{0,64}\\\"|[A-Za-z_][A-Za-z0-9_.]{0,128})\\]){0,8}$",
              "title": "Var",
              "type": "string"
            }
          },
          "required": [
            "var"
          ],
          "title": "VarOperand",
          "type": "object"
        }
      },
      "additionalProperties": false,
      "properties": {
        "mode": {
          "default": "all",
          "enum": [
            "all",
            "any"
          ],
          "title": "Mode",
          "type": "string"
        },
        "when": {
          "items": {
            "oneOf": [
              {
                "$ref": "#/$defs/Comparison"
              },
              {
                "$ref": "#/$defs/AllOf"
              },
              {
                "$ref": "#/$defs/AnyOf"
              },
              {
                "$ref": "#/$defs/Not"
              }
            ]
          },
          "maxItems": 100,
          "title": "When",
          "type": "array"
        },
        "javascript": {
          "anyOf": [
            {
              "maxLength": 4096,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Javascript"
        }
      },
      "title": "ConditionSettings",
      "type": "object"
    },
    "ports": [
      "true",
      "false"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "set_variable",
    "description": "Assign a value, template or expression to a variable.",
    "category": "logic",
    "settings_schema": {
      "$defs": {
        "JsonValue": {}
      },
      "additionalProperties": false,
      "properties": {
        "variable": {
          "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$",
          "title": "Variable",
          "type": "string"
        },
        "value": {
          "$ref": "#/$defs/JsonValue",
          "default": null
        },
        "template": {
          "anyOf": [
            {
              "maxLength": 4096,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Template"
        },
        "expression": {
          "anyOf": [
            {
              "maxLength": 1024,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Expression"
        },
        "javascript": {
          "anyOf": [
            {
              "maxLength": 4096,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Javascript"
        }
      },
      "required": [
        "variable"
      ],
      "title": "SetVariableSettings",
      "type": "object"
    },
    "ports": [
      "next"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "jump",
    "description": "Continue at another block, or run another scenario and come back.",
    "category": "flow",
    "settings_schema": {
      "additionalProperties": false,
      "properties": {
        "block": {
          "anyOf": [
            {
              "pattern": "^[A-Za-z0-9_-]{1,64}$",
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Block"
        },
        "scenario": {
          "anyOf": [
            {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Scenario"
        },
        "return_after": {
          "default": true,
          "title": "Return After",
          "type": "boolean"
        }
      },
      "title": "JumpSettings",
      "type": "object"
    },
    "ports": null,
    "dynamic_ports": true,
    "waits_for_input": false
  },
  {
    "name": "wait",
    "description": "Pause before what follows (shown as typing where the channel can).",
    "category": "flow",
    "settings_schema": {
      "additionalProperties": false,
      "properties": {
        "seconds": {
          "exclusiveMinimum": 0,
          "maximum": 300,
          "title": "Seconds",
          "type": "number"
        }
      },
      "required": [
        "seconds"
      ],
      "title": "WaitSettings",
      "type": "object"
    },
    "ports": [
      "next"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "handoff",
    "description": "Pass the conversation to a human operator until they hand it back.",
    "category": "flow",
    "settings_schema": {
      "additionalProperties": false,
      "properties": {
        "message": {
          "anyOf": [
            {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "type": "object"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Message"
        },
        "queue": {
          "anyOf": [
            {
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Queue"
        }
      },
      "title": "HandoffSettings",
      "type": "object"
    },
    "ports": [
      "next"
    ],
    "dynamic_ports": false,
    "waits_for_input": true
  },
  {
    "name": "end",
    "description": "End the conversation, optionally with a last message.",
    "category": "flow",
    "settings_schema": {
      "additionalProperties": false,
      "properties": {
        "message": {
          "anyOf": [
            {
              "patternProperties": {
                "^[a-z]{2,3}(-[A-Z]{2})?$": {
                  "minLength": 1,
                  "type": "string"
                }
              },
              "type": "object"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Message"
        }
      },
      "title": "EndSettings",
      "type": "object"
    },
    "ports": [],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "set_language",
    "description": "Switch the conversation to another of the bot's languages: later texts, built-in phrases and re-prompts follow it.",
    "category": "messaging",
    "settings_schema": {
      "additionalProperties": false,
      "properties": {
        "language": {
          "anyOf": [
            {
              "pattern": "^[a-z]{2,3}(-[A-Z]{2})?$",
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Language"
        },
        "variable": {
          "anyOf": [
            {
              "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(?:\\.[A-Za-z0-9_]{1,64}|\\[(?:-?[0-9]{1,9}|'[^'\\]]{0,64}'|\\\"[^\\\"\\]]{0,64}\\\"|[A-Za-z_][A-Za-z0-9_.]{0,128})\\]){0,8}$",
              "type": "string"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "title": "Variable"
        }
      },
      "title": "SetLanguageSettings",
      "type": "object"
    },
    "ports": [
      "next"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "script",
    "description": "Run JavaScript on the conversation's variables (sandboxed): set variables, say messages.",
    "category": "logic",
    "settings_schema": {
      "additionalProperties": false,
      "description": "JavaScript run in the sandbox. It reads the conversation's variables as `vars` and\nreturns an object: each key that is one of `outputs` sets that variable; `$say` (a list\nof texts) says them. It leaves through `ok`, `error` (it threw, broke a limit, returned\nsomething else) or `timeout` (past `timeout_ms`).",
      "properties": {
        "code": {
          "description": "The body of a function of `vars`; `return {total: vars.price * 2}`.",
          "maxLength": 65536,
          "minLength": 1,
          "title": "Code",
          "type": "string"
        },
        "outputs": {
          "items": {
            "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$",
            "type": "string"
          },
          "maxItems": 32,
          "title": "Outputs",
          "type": "array"
        },
        "timeout_ms": {
          "default": 1000,
          "maximum": 5000,
          "minimum": 10,
          "title": "Timeout Ms",
          "type": "integer"
        }
      },
      "required": [
        "code"
      ],
      "title": "ScriptSettings",
      "type": "object"
    },
    "ports": [
      "ok",
      "error",
      "timeout"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "http",
    "description": "Call an outside API and put parts of its answer into variables.",
    "category": "integrations",
    "settings_schema": {
      "$defs": {
        "Header": {
          "additionalProperties": false,
          "description": "A request header: a template of variables, or an organization secret by name (sent\nas `prefix` + the secret; never rendered by the engine, never in the trace).",
          "properties": {
            "name": {
              "pattern": "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$",
              "title": "Name",
              "type": "string"
            },
            "value": {
              "anyOf": [
                {
                  "maxLength": 4096,
                  "type": "string"
                },
                {
                  "type": "null"
                }
              ],
              "default": null,
              "title": "Value"
            },
            "secret": {
              "anyOf": [
                {
                  "pattern": "^[A-Za-z_][A-Za-z0-9_]{0,63}$",
                  "type": "string"
                },
                {
                  "type": "null"
                }
              ],
              "default": null,
              "title": "Secret"
            },
            "prefix": {
              "default": "",
              "maxLength": 64,
              "title": "Prefix",
              "type": "string"
            }
          },
          "required": [
            "name"
          ],
          "title": "Header",
          "type": "object"
        },
        "JsonValue": {}
      },
      "additionalProperties": false,
      "description": "A call to an outside API. URL, query, header values and the body's texts are\ntemplates of variables (a body text that is one variable alone, `\"{{cups}}\"`, sends the\nvariable's value with its JSON type); `outputs` maps variables to parts of the answer (`status`,\n`headers.<name>`, `body` or `body.<path>` with list indexes as numbers). A 2xx answer\nleaves through `ok`, any other (or a refused or failed call) through `error`, a call\npast `timeout_seconds` through `timeout`.",
      "properties": {
        "method": {
          "default": "GET",
          "enum": [
            "GET",
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
            "HEAD"
          ],
          "title": "Method",
          "type": "string"
        },
        "url": {
          "maxLength": 4096,
          "title": "Url",
          "type": "string"
        },
        "query": {
          "additionalProperties": {
            "maxLength": 4096,
            "type": "string"
          },
          "maxProperties": 32,
          "propertyNames": {
            "maxLength": 128,
            "minLength": 1
          },
          "title": "Query",
          "type": "object"
        },
        "headers": {
          "items": {
            "$ref": "#/$defs/Header"
          },
          "maxItems": 32,
          "title": "Headers",
          "type": "array"
        },
        "body": {
          "$ref": "#/$defs/JsonValue",
          "default": null
        },
        "outputs": {
          "maxProperties": 32,
          "patternProperties": {
            "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$": {
              "pattern": "^(status|headers\\.[A-Za-z0-9-]{1,128}|body(\\.[^.\\s]{1,128}){0,16})$",
              "type": "string"
            }
          },
          "title": "Outputs",
          "type": "object"
        },
        "timeout_seconds": {
          "default": 10.0,
          "maximum": 30.0,
          "minimum": 0.5,
          "title": "Timeout Seconds",
          "type": "number"
        },
        "retries": {
          "default": 2,
          "description": "for GET, HEAD, PUT and DELETE only",
          "maximum": 3,
          "minimum": 0,
          "title": "Retries",
          "type": "integer"
        }
      },
      "required": [
        "url"
      ],
      "title": "HttpSettings",
      "type": "object"
    },
    "ports": [
      "ok",
      "error",
      "timeout"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  },
  {
    "name": "module",
    "description": "Run a published module of the organization's library on variables and put parts of its output into variables.",
    "category": "integrations",
    "settings_schema": {
      "additionalProperties": false,
      "description": "A published module of the organization's library (`/api/v1/modules`). `inputs` maps\nthe module's input fields to templates; a template that is one variable alone\n(`{{price}}`) passes the variable's value as it is (a number stays a number), any other\nis rendered as text. `outputs` maps variables to parts of the output (`output` or\n`output.<path>`, list indexes as numbers). It leaves through `ok`, `error` (no such\nmodule, an input or output that breaks the module's schema, the code threw) or\n`timeout`.",
      "properties": {
        "module": {
          "description": "The module's name in the organization's library.",
          "pattern": "^[a-z][a-z0-9_]{0,63}$",
          "title": "Module",
          "type": "string"
        },
        "version": {
          "anyOf": [
            {
              "maximum": 2147483647,
              "minimum": 1,
              "type": "integer"
            },
            {
              "type": "null"
            }
          ],
          "default": null,
          "description": "A published version; omitted, the latest.",
          "title": "Version"
        },
        "inputs": {
          "additionalProperties": {
            "maxLength": 4096,
            "type": "string"
          },
          "maxProperties": 64,
          "propertyNames": {
            "maxLength": 128,
            "minLength": 1
          },
          "title": "Inputs",
          "type": "object"
        },
        "outputs": {
          "maxProperties": 32,
          "patternProperties": {
            "^[A-Za-z_][A-Za-z0-9_]{0,63}(\\.[A-Za-z0-9_]{1,64}){0,7}$": {
              "pattern": "^output(\\.[^.\\s]{1,128}){0,16}$",
              "type": "string"
            }
          },
          "title": "Outputs",
          "type": "object"
        },
        "timeout_ms": {
          "default": 1000,
          "maximum": 5000,
          "minimum": 10,
          "title": "Timeout Ms",
          "type": "integer"
        }
      },
      "required": [
        "module"
      ],
      "title": "ModuleSettings",
      "type": "object"
    },
    "ports": [
      "ok",
      "error",
      "timeout"
    ],
    "dynamic_ports": false,
    "waits_for_input": false
  }
];

export const REAL_CATALOGUE: BlockType[] = toBlockTypes(REAL_CATALOGUE_JSON);
export const REAL_TYPES = new Map(REAL_CATALOGUE.map((t) => [t.name, t]));
