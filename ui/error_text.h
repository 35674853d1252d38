// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/result.h"
#include "common/warning.h"
#include "qt_config.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace fika::ui {

// What the interface shows for a core::Error: a translated headline chosen by the error's code (what
// happened, and what to do about it) and core's own message as the detail, which names the file,
// line and key. Core's messages stay English; the headline is the part a Swedish user reads first.
class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(fika::ui::ErrorText)

public:
    static QString headline(core::ErrorCode code)
    {
        using core::ErrorCode;
        switch (code) {
        case ErrorCode::None: return {};
        case ErrorCode::FileNotFound: return tr("The file or folder does not exist.");
        case ErrorCode::IoError: return tr("A file could not be read or written.");
        case ErrorCode::EmptyFile: return tr("The file is empty.");
        case ErrorCode::Encoding: return tr("The text's character encoding cannot be read.");
        case ErrorCode::Csv: return tr("The CSV file is malformed.");
        case ErrorCode::MissingColumn: return tr("A column is missing.");
        case ErrorCode::DuplicateColumn: return tr("Two columns have the same name.");
        case ErrorCode::NoData: return tr("There are no usable rows.");
        case ErrorCode::TooFewClasses: return tr("At least two labels are needed.");
        case ErrorCode::InvalidArgument: return tr("A value is not allowed here.");
        case ErrorCode::Vocab: return tr("The vocabulary cannot be used.");
        case ErrorCode::Yaml: return tr("The configuration file cannot be read.");
        case ErrorCode::Cancelled: return tr("Stopped.");
        case ErrorCode::Json: return tr("The JSON file cannot be read.");
        case ErrorCode::PermissionDenied: return tr("Permission denied: choose another folder or change its permissions.");
        case ErrorCode::DiskFull: return tr("The disk is full: free some space and try again.");
        case ErrorCode::NotAFile: return tr("A file is needed here, not a folder.");
        case ErrorCode::NotAFolder: return tr("A folder is needed here, not a file.");
        case ErrorCode::AlreadyExists: return tr("Something is already there: choose another name, or open it.");
        case ErrorCode::OutOfMemory:
            return tr("Out of memory: use smaller batches, shorter sequences or a smaller model.");
        case ErrorCode::CheckpointInvalid: return tr("The checkpoint is damaged or does not fit the model.");
        case ErrorCode::ConfigInvalid: return tr("A setting has a value that cannot be used.");
        case ErrorCode::NetworkError: return tr("The network connection failed: check it and try again.");
        case ErrorCode::ChecksumMismatch: return tr("The download is damaged (its checksum differs): download it again.");
        case ErrorCode::ArchiveInvalid: return tr("The archive is damaged or unsafe: download it again.");
        case ErrorCode::PortUnavailable: return tr("The server cannot listen there: choose another port.");
        case ErrorCode::Diverged:
            return tr("Training diverged (the loss is no longer a number): lower the learning rate.");
        }
        return tr("Something went wrong.");
    }

    // Core's message, with the place added where the message does not name it already.
    static QString detail(const core::Error& error)
    {
        QString text = toQString(error.message);
        QStringList where;
        if (!error.file.empty() && error.message.find(error.file) == std::string::npos)
            where << tr("file %1").arg(toQString(error.file));
        if (error.line > 0 && error.message.find("line " + std::to_string(error.line)) == std::string::npos)
            where << tr("line %1").arg(error.line);
        if (!error.field.empty() && error.message.find(error.field) == std::string::npos)
            where << tr("key %1").arg(toQString(error.field));
        if (!where.isEmpty())
            text += QStringLiteral(" (%1)").arg(where.join(QStringLiteral(", ")));
        return text;
    }

    // A warning: the work went on. A translated headline by its code, then core's message.
    static QString warningHeadline(core::WarningCode code)
    {
        using core::WarningCode;
        switch (code) {
        case WarningCode::TextConverted:
            return tr("The file was not UTF-8 and was converted.");
        case WarningCode::RowsSkipped:
            return tr("Some rows had problems and were left out.");
        case WarningCode::LabelColumnLooksLikeText:
            return tr("The label column looks like free text, not classes.");
        case WarningCode::FileNotWritten:
            return tr("A file could not be written; the work goes on without it.");
        case WarningCode::OptimizerStateMissing:
            return tr("The optimizer starts anew: the resumed run differs a little.");
        case WarningCode::LabelsDifferInCase:
            return tr("Some labels differ only in letter case and count as separate classes.");
        }
        return tr("Warning.");
    }

    static QString warningText(const core::Warning& warning)
    {
        return tr("Warning: %1 %2").arg(warningHeadline(warning.code), toQString(warning.message));
    }

    // Headline and detail on one line, for status bars, labels and message boxes.
    static QString text(const core::Error& error)
    {
        const QString head = headline(error.code);
        const QString rest = detail(error);
        if (head.isEmpty())
            return rest;
        return rest.isEmpty() ? head : head + QLatin1Char(' ') + rest;
    }
};

} // namespace fika::ui
