# SPDX-License-Identifier: GPL-3.0-or-later
# LibTorch from a PyTorch wheel's package folder, FIKA_TORCH_DIR (<site-packages>/torch), without
# the wheel's own TorchConfig.cmake: a CUDA wheel's one also wants cuDNN, NVTX and the rest of a CUDA
# developer setup, and stops where one is missing, though Fika includes none of their headers.
# Makes what find_package(Torch) makes: the targets torch, torch_cpu and c10 (+ torch_cuda and
# c10_cuda from a CUDA wheel), TORCH_LIBRARIES and TORCH_INCLUDE_DIRS.
#   FIKA_TORCH_CXX11_ABI  0 or 1, the wheel's torch._C._GLIBCXX_USE_CXX11_ABI; read from libc10.so
#                         when not given

get_filename_component(FIKA_TORCH_DIR "${FIKA_TORCH_DIR}" ABSOLUTE)
set(TORCH_INCLUDE_DIRS ${FIKA_TORCH_DIR}/include ${FIKA_TORCH_DIR}/include/torch/csrc/api/include)
foreach(file include/torch/csrc/api/include/torch/torch.h lib/libtorch.so lib/libtorch_cpu.so lib/libc10.so)
  if(NOT EXISTS ${FIKA_TORCH_DIR}/${file})
    message(FATAL_ERROR "FIKA_TORCH_DIR=${FIKA_TORCH_DIR} is not a LibTorch with headers: it has no ${file} "
                        "(give the folder of python3 -c 'import torch; print(torch.__file__)')")
  endif()
endforeach()

# The C++ standard library's string ABI must match LibTorch's, or std::string arguments crash.
if(NOT DEFINED FIKA_TORCH_CXX11_ABI)
  file(STRINGS ${FIKA_TORCH_DIR}/lib/libc10.so FIKA_TORCH_ABI_PROBE REGEX "__cxx11" LIMIT_COUNT 1)
  if(FIKA_TORCH_ABI_PROBE)
    set(FIKA_TORCH_CXX11_ABI 1)
  else()
    set(FIKA_TORCH_CXX11_ABI 0)
  endif()
endif()

# fika_torch_library(NAME LINKED...): lib/libNAME.so, bringing the targets LINKED.
function(fika_torch_library name)
  add_library(${name} SHARED IMPORTED)
  set_target_properties(${name} PROPERTIES IMPORTED_LOCATION ${FIKA_TORCH_DIR}/lib/lib${name}.so)
  set_property(TARGET ${name} PROPERTY INTERFACE_LINK_LIBRARIES ${ARGN})
endfunction()
fika_torch_library(c10)
# A wheel is built with the distributed layer (c10d); its headers check USE_DISTRIBUTED.
set_target_properties(c10 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${TORCH_INCLUDE_DIRS}"
                      INTERFACE_COMPILE_DEFINITIONS "_GLIBCXX_USE_CXX11_ABI=${FIKA_TORCH_CXX11_ABI};USE_DISTRIBUTED")
fika_torch_library(torch_cpu c10)
fika_torch_library(torch torch_cpu)

if(EXISTS ${FIKA_TORCH_DIR}/lib/libtorch_cuda.so)
  # CUDA's headers (ATen/cuda includes cuda_runtime_api.h, cuBLAS's and cuSPARSE's): the toolkit's,
  # then those of the wheel's nvidia-* packages beside torch/ for any the toolkit lacks.
  find_package(CUDAToolkit)
  get_filename_component(FIKA_TORCH_SITE_PACKAGES ${FIKA_TORCH_DIR} DIRECTORY)
  file(GLOB FIKA_NVIDIA_INCLUDE_DIRS LIST_DIRECTORIES true
       ${FIKA_TORCH_SITE_PACKAGES}/nvidia/*/include ${FIKA_TORCH_SITE_PACKAGES}/nvidia/*/*/include)
  set(FIKA_CUDA_INCLUDE_DIRS ${CUDAToolkit_INCLUDE_DIRS} ${FIKA_NVIDIA_INCLUDE_DIRS})
  if(NOT FIKA_CUDA_INCLUDE_DIRS)
    message(FATAL_ERROR "${FIKA_TORCH_DIR} is a CUDA LibTorch, but neither a CUDA toolkit (CUDAToolkit_ROOT, nvcc) "
                        "nor the wheel's nvidia packages (${FIKA_TORCH_SITE_PACKAGES}/nvidia) give CUDA's headers")
  endif()
  fika_torch_library(c10_cuda c10 $<TARGET_NAME_IF_EXISTS:CUDA::cudart>)
  set_property(TARGET c10_cuda PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${FIKA_CUDA_INCLUDE_DIRS})
  fika_torch_library(torch_cuda torch_cpu c10_cuda)
  # libtorch_cuda.so registers the CUDA backend in its static initialisers; nothing calls into it
  # directly, so a linker that drops unused libraries (--as-needed, which Debian's and Ubuntu's gcc
  # pass) would leave it out and torch::cuda::is_available() would say false.
  set(CMAKE_LINK_LIBRARY_USING_FIKA_NO_AS_NEEDED "LINKER:--push-state,--no-as-needed" "<LINK_ITEM>" "LINKER:--pop-state")
  set(CMAKE_LINK_LIBRARY_USING_FIKA_NO_AS_NEEDED_SUPPORTED TRUE)
  set_property(TARGET torch APPEND PROPERTY INTERFACE_LINK_LIBRARIES "$<LINK_LIBRARY:FIKA_NO_AS_NEEDED,torch_cuda>")
endif()

set(TORCH_LIBRARIES torch)
set(Torch_FOUND TRUE)
if(TARGET torch_cuda)
  message(STATUS "LibTorch with CUDA from ${FIKA_TORCH_DIR} (C++11 ABI: ${FIKA_TORCH_CXX11_ABI})")
else()
  message(STATUS "LibTorch for the CPU from ${FIKA_TORCH_DIR} (C++11 ABI: ${FIKA_TORCH_CXX11_ABI})")
endif()
